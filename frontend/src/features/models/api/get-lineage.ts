import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useLineage(projectId: number, modelId: number | null) {
  return useQuery({
    queryKey: queryKeys.lineage(projectId, modelId ?? -1),
    enabled: modelId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/models/{model_id}/lineage", {
          params: { path: { project_id: projectId, model_id: modelId ?? -1 } },
        }),
      ),
  });
}
