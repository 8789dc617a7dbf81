import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrapVersioned, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

// `ifMatch`: the version of the image's annotations the change is based on (412 if outdated).
export function updateAnnotation(projectId: number, annotationId: number, body: Schemas["AnnotationUpdate"], ifMatch?: string | null) {
  return unwrapVersioned(
    api.PATCH("/api/projects/{project_id}/annotations/{annotation_id}", {
      params: { path: { project_id: projectId, annotation_id: annotationId }, header: ifMatch ? { "if-match": ifMatch } : undefined },
      body,
    }),
  );
}

export function useUpdateAnnotation(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Schemas["AnnotationUpdate"] & { id: number }) => updateAnnotation(projectId, id, body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
    },
  });
}
