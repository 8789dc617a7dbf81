import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import { membersKey } from "./members";

/** Remove a member from the project (owners only; a project keeps at least one owner). */
export function useRemoveMember(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (userId: number) =>
      unwrap(
        api.DELETE("/api/projects/{project_id}/members/{user_id}", {
          params: { path: { project_id: projectId, user_id: userId } },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: membersKey(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
