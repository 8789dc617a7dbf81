import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** A model with its card (the card holds the update routine preset). */
export function useModel(projectId: number, modelId: number | null) {
  return useQuery({
    queryKey: queryKeys.model(projectId, modelId ?? -1),
    enabled: modelId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/models/{model_id}", {
          params: { path: { project_id: projectId, model_id: modelId ?? -1 } },
        }),
      ),
  });
}
