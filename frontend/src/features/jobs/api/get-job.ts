import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api, unwrap } from "@/lib/api/client";
import { usePollInterval } from "@/lib/live-events";
import { changedByJob, queryKeys } from "@/lib/query-keys";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** A job with its tasks (progress, stage, loss points); live events patch it, polling covers
 * the time the stream is down. */
export function useJob(projectId: number, jobId: number | null) {
  const poll = usePollInterval(1500);
  const client = useQueryClient();
  const query = useQuery({
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
  // A job seen to finish (by polling, when the event stream is down) may have added images,
  // predictions, models or metrics: refresh them, as the job's event would have.
  const state = query.data?.state;
  const previous = useRef(state);
  useEffect(() => {
    if (previous.current && !FINISHED.has(previous.current) && state && FINISHED.has(state)) {
      for (const key of changedByJob(projectId)) void client.invalidateQueries({ queryKey: key });
    }
    previous.current = state;
  }, [client, projectId, state]);
  return query;
}
