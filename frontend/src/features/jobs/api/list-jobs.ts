import { useQueries, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { usePollInterval } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";

export type JobFilters = { kind?: string; state?: string; limit?: number };

function listJobs(projectId: number, filters: JobFilters) {
  return unwrap(api.GET("/api/projects/{project_id}/jobs", { params: { path: { project_id: projectId }, query: filters } }));
}

/** A project's jobs, newest first; polled while the live event stream is down. */
export function useJobs(projectId: number, filters: JobFilters = {}) {
  const refetchInterval = usePollInterval(3000);
  return useQuery({
    queryKey: queryKeys.jobList(projectId, filters),
    queryFn: () => listJobs(projectId, filters),
    refetchInterval,
  });
}

/** The latest jobs of several projects (the sidebar outside a project). */
export function useJobsOfProjects(projectIds: number[], limit: number) {
  const refetchInterval = usePollInterval(5000);
  return useQueries({
    queries: projectIds.map((projectId) => ({
      queryKey: queryKeys.jobList(projectId, { limit }),
      queryFn: () => listJobs(projectId, { limit }),
      refetchInterval,
    })),
  });
}
