import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import { classesKey } from "./list-classes";

/** Add a label class to a project (annotators and owners). */
export function useCreateClass(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: { name: string; color: string }) =>
      unwrap(api.POST("/api/projects/{project_id}/classes", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.projects });
      void client.invalidateQueries({ queryKey: classesKey(projectId) });
    },
  });
}
