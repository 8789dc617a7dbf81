import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import { classesKey } from "./list-classes";

/** Delete a label class; the server refuses (409) while annotations use it. */
export function useDeleteClass(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (classId: number) =>
      unwrap(
        api.DELETE("/api/projects/{project_id}/classes/{class_id}", {
          params: { path: { project_id: projectId, class_id: classId } },
        }),
      ),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.projects });
      void client.invalidateQueries({ queryKey: classesKey(projectId) });
    },
  });
}
