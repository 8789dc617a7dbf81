import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useDeleteProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (projectId: number) =>
      unwrap(api.DELETE("/api/projects/{project_id}", { params: { path: { project_id: projectId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.projects }),
  });
}
