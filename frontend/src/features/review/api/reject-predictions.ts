import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useRejectPredictions(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) =>
      unwrap(
        api.POST("/api/projects/{project_id}/predictions/reject", { params: { path: { project_id: projectId } }, body: { ids } }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.predictions(projectId) }),
  });
}
