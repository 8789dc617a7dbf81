import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { fetchWithUploadProgress } from "@/lib/api/xhr-fetch";
import { queryKeys } from "@/lib/query-keys";

export type UploadInput = { files: File[]; pool: "adapt" | "holdout"; onProgress: (fraction: number) => void };

/** Upload images (all or nothing: the server refuses the whole request if one file is bad). */
export function useUploadImages(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: ({ files, pool, onProgress }: UploadInput) =>
      unwrap(
        api.POST("/api/projects/{project_id}/images", {
          params: { path: { project_id: projectId } },
          body: { files: files as unknown as string[], pool },
          bodySerializer: () => {
            const form = new FormData();
            for (const file of files) form.append("files", file, file.name);
            form.append("pool", pool);
            return form;
          },
          fetch: fetchWithUploadProgress(onProgress),
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
