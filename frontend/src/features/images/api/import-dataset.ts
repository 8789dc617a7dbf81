import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { ApiError, describeApiError } from "@/lib/api/errors";
import { queryKeys } from "@/lib/query-keys";
import { refusalOf, type DatasetFormat, type ImportReport } from "../utils/dataset";

export type ImportInput = {
  file: File;
  format: DatasetFormat | null;
  pool: "adapt" | "holdout";
  addClasses: boolean;
};

/** Import a COCO, VOC or YOLO dataset (all or nothing); a refusal lists every problem. */
export function useImportDataset(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async ({ file, format, pool, addClasses }: ImportInput): Promise<ImportReport> => {
      const { data, error, response } = await api.POST("/api/projects/{project_id}/imports", {
        params: { path: { project_id: projectId } },
        body: { file: file as unknown as string, pool, add_classes: addClasses },
        bodySerializer: () => {
          const form = new FormData();
          form.append("file", file, file.name);
          if (format) form.append("format", format);
          form.append("pool", pool);
          form.append("add_classes", String(addClasses));
          return form;
        },
      });
      if (!response.ok || error !== undefined) {
        throw refusalOf(error) ?? new ApiError(response.status, describeApiError(response.status, error));
      }
      return data as ImportReport;
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
