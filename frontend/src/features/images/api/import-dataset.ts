import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { ApiError, describeApiError } from "@/lib/api/errors";
import { usePollInterval } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";
import { refusalOf, type DatasetFormat } from "../utils/dataset";

export type ImportInput = {
  file: File;
  format: DatasetFormat | null;
  pool: "adapt" | "holdout";
  addClasses: boolean;
};

export type ImportOutcome = Schemas["ImportOutcome"];
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** Start importing a COCO, VOC or YOLO dataset: the upload is saved and an import job starts
 * (all or nothing); an upload refused at once lists its problems. */
export function useImportDataset(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async ({ file, format, pool, addClasses }: ImportInput) => {
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
      if (!response.ok || error !== undefined || !data) {
        throw refusalOf(error) ?? new ApiError(response.status, describeApiError(response.status, error));
      }
      return data;
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.jobs(projectId) }),
  });
}

/** An import job's outcome: its report once it succeeded, its problems once refused. Job
 * events refresh it (they invalidate the project's jobs); polling covers a stream that is down. */
export function useImportOutcome(projectId: number, jobId: number | null) {
  const poll = usePollInterval(1000);
  const client = useQueryClient();
  const query = useQuery({
    queryKey: [...queryKeys.jobs(projectId), "import", jobId ?? -1],
    enabled: jobId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/imports/{job_id}", {
          params: { path: { project_id: projectId, job_id: jobId ?? -1 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.state) ? false : poll),
  });
  const state = query.data?.state;
  const previous = useRef(state);
  useEffect(() => {
    if (state === "succeeded" && previous.current !== state) {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    }
    previous.current = state;
  }, [client, projectId, state]);
  return query;
}
