import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

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
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.projects }),
  });
}
