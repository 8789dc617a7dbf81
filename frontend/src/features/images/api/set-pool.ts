import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Move images between the adapt pool (training) and the holdout pool (evaluation only). */
export function useSetPool(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { image_ids: number[]; pool: "adapt" | "holdout" }) =>
      unwrap(api.POST("/api/projects/{project_id}/images/pool", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.images(projectId) }),
  });
}
