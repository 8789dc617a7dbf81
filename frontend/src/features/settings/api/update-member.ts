import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import type { Role } from "../utils/settings";
import { membersKey } from "./members";

/** Change a member's role (owners only; a project keeps at least one owner). */
export function useUpdateMember(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: ({ userId, role }: { userId: number; role: Role }) =>
      unwrap(
        api.PATCH("/api/projects/{project_id}/members/{user_id}", {
          params: { path: { project_id: projectId, user_id: userId } },
          body: { role },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: membersKey(projectId) });
      // your own role may have changed
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
