import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Make a model the project's current one: what detect and evaluate use by default. */
export function usePromoteModel(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (modelId: number) =>
      unwrap(
        api.POST("/api/projects/{project_id}/models/{model_id}/promote", {
          params: { path: { project_id: projectId, model_id: modelId } },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.models(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
