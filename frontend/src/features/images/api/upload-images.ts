import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { fetchWithUploadProgress } from "@/lib/api/xhr-fetch";
import { queryKeys } from "@/lib/query-keys";
import { uploadInBatches } from "../utils/upload-batches";

export type UploadInput = { files: File[]; pool: "adapt" | "holdout"; onProgress: (fraction: number) => void };

/** Upload images in batches. The server takes a request's files all or none; a refused batch is
 * sent again file by file, so the good files are kept and each bad one comes back with its reason
 * (`refused`). */
export function useUploadImages(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: ({ files, pool, onProgress }: UploadInput) =>
      uploadInBatches(
        files,
        (batch, onBatchProgress) =>
          unwrap(
            api.POST("/api/projects/{project_id}/images", {
              params: { path: { project_id: projectId } },
              body: { files: batch as unknown as string[], pool },
              bodySerializer: () => {
                const form = new FormData();
                for (const file of batch) form.append("files", file, file.name);
                form.append("pool", pool);
                return form;
              },
              fetch: fetchWithUploadProgress(onBatchProgress),
            }),
          ),
        onProgress,
      ),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
