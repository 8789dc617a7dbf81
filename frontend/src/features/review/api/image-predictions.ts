import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** One image's predictions from its latest detect run (the editor can overlay them). */
export function useImagePredictions(projectId: number, imageId: number | null, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.predictions(projectId), "image", imageId ?? -1],
    enabled: enabled && imageId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/images/{image_id}/predictions", {
          params: { path: { project_id: projectId, image_id: imageId ?? -1 } },
        }),
      ),
  });
}
