import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { ApiError, describeApiError } from "@/lib/api/errors";

/** Fetch the safetensors with the bearer header (the endpoint takes no query token) and hand
 * them to the browser as a download. */
export function useDownloadWeights(projectId: number) {
  return useMutation({
    mutationFn: async ({ modelId, name }: { modelId: number; name: string }) => {
      const { data, error, response } = await api.GET("/api/projects/{project_id}/models/{model_id}/weights", {
        params: { path: { project_id: projectId, model_id: modelId } },
        parseAs: "blob",
      });
      if (!response.ok || !data) throw new ApiError(response.status, describeApiError(response.status, error));
      const url = URL.createObjectURL(data as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `${name.replace(/[^\w.-]+/g, "_")}.safetensors`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
}
