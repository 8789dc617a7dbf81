import { api, unwrapVersioned } from "@/lib/api/client";

// `ifMatch`: the version of the image's annotations the change is based on (412 if outdated).
export function deleteAnnotation(projectId: number, annotationId: number, ifMatch?: string | null) {
  return unwrapVersioned(
    api.DELETE("/api/projects/{project_id}/annotations/{annotation_id}", {
      params: { path: { project_id: projectId, annotation_id: annotationId }, header: ifMatch ? { "if-match": ifMatch } : undefined },
    }),
  );
}
