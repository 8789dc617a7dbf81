import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Where a queued job stands: its position in its lane's queue and an estimated start. Under the
 * job's key, so the job's events refresh it; also refreshed every few seconds while queued, as
 * the estimate ages (a running task nears its end) without an event. */
export function useJobQueue(projectId: number, jobId: number, queued: boolean) {
  return useQuery({
    queryKey: [...queryKeys.job(projectId, jobId), "queue"],
    enabled: queued,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/jobs/{job_id}/queue", {
          params: { path: { project_id: projectId, job_id: jobId } },
        }),
      ),
    refetchInterval: queued ? 5000 : false,
  });
}
