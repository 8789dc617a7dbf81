import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Metrics at the adaptation checkpoints and the loss curve of an adapted model. */
export function useAdaptationCurve(projectId: number, modelId: number | null) {
  return useQuery({
    queryKey: [...queryKeys.metrics(projectId), "adaptation", modelId ?? -1],
    enabled: modelId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/metrics/adaptation", {
          params: { path: { project_id: projectId }, query: { model_id: modelId ?? -1 } },
        }),
      ),
  });
}
