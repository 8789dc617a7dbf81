import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import { runEach } from "../utils/bulk";

/** Delete images one by one (with their annotations and predictions). The answer lists which
 * were deleted and which were not, with the server's reason: one refusal does not stop the rest. */
export function useDeleteImages(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (imageIds: number[]) =>
      runEach(imageIds, (imageId) =>
        unwrap(
          api.DELETE("/api/projects/{project_id}/images/{image_id}", {
            params: { path: { project_id: projectId, image_id: imageId } },
          }),
        ),
      ),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.predictions(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
