import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import { classesKey } from "./list-classes";

/** Rename or recolour a label class; its annotations keep it. */
export function useUpdateClass(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: ({ classId, ...body }: { classId: number; name?: string; color?: string }) =>
      unwrap(
        api.PATCH("/api/projects/{project_id}/classes/{class_id}", {
          params: { path: { project_id: projectId, class_id: classId } },
          body,
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.projects });
      void client.invalidateQueries({ queryKey: classesKey(projectId) });
    },
  });
}
