import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Per holdout image of an evaluation (an evaluate or iterate job): its detections marked tp/fp
 * and the ground truth it missed, the images with the most errors first. Kept apart from the
 * review queue. */
export function useImageEvaluations(projectId: number, jobId: number | null) {
  return useQuery({
    queryKey: [...queryKeys.metrics(projectId), "images", jobId ?? -1],
    enabled: jobId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/jobs/{job_id}/evaluation", {
          params: { path: { project_id: projectId, job_id: jobId ?? -1 } },
        }),
      ),
  });
}
