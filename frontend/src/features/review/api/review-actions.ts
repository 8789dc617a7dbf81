import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export type ReviewApply = Schemas["ReviewApply"];
export type ReviewApplyResult = Schemas["ReviewApplyResult"];
export type ReviewUndo = Schemas["ReviewUndo"];

function useInvalidateReview(projectId: number) {
  const client = useQueryClient();
  return () => {
    for (const key of [queryKeys.predictions(projectId), queryKeys.annotations(projectId), queryKeys.images(projectId)]) {
      void client.invalidateQueries({ queryKey: key });
    }
  };
}

/** One review action (accept, reject, mark images complete); its answer holds the record that
 * undoes it. */
export function useApplyReview(projectId: number) {
  const invalidate = useInvalidateReview(projectId);
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: Partial<ReviewApply>) =>
      unwrap(api.POST("/api/projects/{project_id}/review/apply", { params: { path: { project_id: projectId } }, body: body as ReviewApply })),
    onSuccess: invalidate,
  });
}

/** Revert a review action: its annotations deleted, statuses and image states restored. */
export function useUndoReview(projectId: number) {
  const invalidate = useInvalidateReview(projectId);
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: ReviewUndo) => unwrap(api.POST("/api/projects/{project_id}/review/undo", { params: { path: { project_id: projectId } }, body })),
    onSuccess: invalidate,
  });
}

/** What the next adaptation will train on: complete adapt images and their boxes. */
export function useTrainingData(projectId: number) {
  return useQuery({
    queryKey: [...queryKeys.images(projectId), "training-data"],
    queryFn: () => unwrap(api.GET("/api/projects/{project_id}/review/training-data", { params: { path: { project_id: projectId } } })),
  });
}
