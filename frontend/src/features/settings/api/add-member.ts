import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { Role } from "../utils/settings";
import { membersKey } from "./members";

/** Add a user to the project, by username, with a role (owners only). */
export function useAddMember(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: { username: string; role: Role }) =>
      unwrap(api.POST("/api/projects/{project_id}/members", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: membersKey(projectId) }),
  });
}
