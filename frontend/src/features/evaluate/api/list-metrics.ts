import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** COCO numbers (overall and per class) and PR curves of a model's holdout evaluations. */
export function useMetrics(projectId: number, modelId: number | null) {
  return useQuery({
    queryKey: [...queryKeys.metrics(projectId), "model", modelId ?? -1],
    enabled: modelId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/metrics", {
          params: { path: { project_id: projectId }, query: { model_id: modelId ?? undefined } },
        }),
      ),
  });
}
