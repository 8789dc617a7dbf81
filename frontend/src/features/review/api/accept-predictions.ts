import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Turn predictions into annotations (source "accepted_prediction"): by ids, or every pending
 * one of a job scoring at least min_score; `complete` marks their images complete (else in
 * progress). Only on adapt images: a bulk accept leaves holdout ones out (`skipped_holdout`),
 * ids on holdout images are refused (409, shown inline with the server's message). */
export function useAcceptPredictions(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: Schemas["AcceptRequest"]) =>
      unwrap(api.POST("/api/projects/{project_id}/predictions/accept", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => {
      for (const key of [queryKeys.predictions(projectId), queryKeys.annotations(projectId), queryKeys.images(projectId)]) {
        void client.invalidateQueries({ queryKey: key });
      }
    },
  });
}
