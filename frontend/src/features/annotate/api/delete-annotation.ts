import { api, unwrap } from "@/lib/api/client";

export function deleteAnnotation(projectId: number, annotationId: number) {
  return unwrap(
    api.DELETE("/api/projects/{project_id}/annotations/{annotation_id}", {
      params: { path: { project_id: projectId, annotation_id: annotationId } },
    }),
  );
}
