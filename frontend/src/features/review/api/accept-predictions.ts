import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Turn predictions into annotations (source "accepted_prediction"): by ids, or every pending
 * one of a job scoring at least min_score. */
export function useAcceptPredictions(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["AcceptRequest"]) =>
      unwrap(api.POST("/api/projects/{project_id}/predictions/accept", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => {
      for (const key of [queryKeys.predictions(projectId), queryKeys.annotations(projectId), queryKeys.images(projectId)]) {
        void client.invalidateQueries({ queryKey: key });
      }
    },
  });
}
