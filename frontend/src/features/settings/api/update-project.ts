import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Rename or describe a project (owners only). */
export function useUpdateProject(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: { name?: string; description?: string }) =>
      unwrap(api.PATCH("/api/projects/{project_id}", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.projects }),
  });
}
