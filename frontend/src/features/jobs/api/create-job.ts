import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** Start adapt, detect, evaluate or iterate (adapt → detect → evaluate). */
export function useCreateJob(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["JobCreate"]) =>
      unwrap(api.POST("/api/projects/{project_id}/jobs", { params: { path: { project_id: projectId } }, body })),
    onSuccess: (job) => {
      client.setQueryData(queryKeys.job(projectId, job.id), job);
      void client.invalidateQueries({ queryKey: [...queryKeys.jobs(projectId), "list"] });
    },
  });
}
