import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** The images of a detect run (default: the latest) with their uncertainty and size. */
export function useReviewImages(projectId: number, jobId: number | undefined) {
  return useQuery({
    queryKey: [...queryKeys.predictions(projectId), "images", jobId ?? "latest"],
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/predictions/images", {
          params: { path: { project_id: projectId }, query: { job_id: jobId, limit: 5000 } },
        }),
      ),
  });
}
