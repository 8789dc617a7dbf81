import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useJobs } from "@/features/jobs/api/list-jobs";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** The project's ONNX export jobs, newest first (one list for every model row; live events
 * patch it, polling covers the time the stream is down). */
export function useOnnxExports(projectId: number) {
  return useJobs(projectId, { kind: "export_onnx", limit: 200 });
}

/** Start an ONNX export of a model on a worker; the server answers the job (an existing one
 * when this model was already exported with the project's classes). */
export function useStartOnnxExport(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (modelId: number) =>
      unwrap(
        api.POST("/api/projects/{project_id}/models/{model_id}/onnx", {
          params: { path: { project_id: projectId, model_id: modelId } },
        }),
      ),
    onSuccess: (job) => {
      client.setQueryData(queryKeys.job(projectId, job.id), job);
      void client.invalidateQueries({ queryKey: [...queryKeys.jobs(projectId), "list"] });
    },
  });
}

/** Where the newest finished export of a model downloads (add a files ticket: useFileUrl). */
export const onnxPath = (projectId: number, modelId: number) => `/api/projects/${projectId}/models/${modelId}/onnx`;
