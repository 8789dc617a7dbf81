import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useCancelJob(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (jobId: number) =>
      unwrap(
        api.POST("/api/projects/{project_id}/jobs/{job_id}/cancel", {
          params: { path: { project_id: projectId, job_id: jobId } },
        }),
      ),
    onSuccess: (job) => {
      client.setQueryData(queryKeys.job(projectId, job.id), job);
      void client.invalidateQueries({ queryKey: queryKeys.jobs(projectId) });
    },
  });
}
