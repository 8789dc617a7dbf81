import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** The model a job ran from (its `model_id`), to say where an adaptation started. */
export function useStartModel(projectId: number, modelId: number | null | undefined) {
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
