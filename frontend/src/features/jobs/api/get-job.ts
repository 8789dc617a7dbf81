import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { usePollInterval } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** A job with its tasks (progress, stage, loss points); live events patch it, polling covers
 * the time the stream is down. */
export function useJob(projectId: number, jobId: number | null) {
  const poll = usePollInterval(1500);
  return useQuery({
    queryKey: queryKeys.job(projectId, jobId ?? -1),
    enabled: jobId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/jobs/{job_id}", {
          params: { path: { project_id: projectId, job_id: jobId ?? -1 } },
        }),
      ),
    refetchInterval: (query) => (query.state.data && FINISHED.has(query.state.data.state) ? false : poll),
  });
}
