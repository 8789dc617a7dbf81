import { api, unwrapVersioned, type Schemas } from "@/lib/api/client";

// Used by the editor's save queue (useAnnotationSession), which invalidates when a save is done.
// `ifMatch`: the version of the image's annotations the change is based on (412 if outdated).
export function createAnnotation(projectId: number, imageId: number, body: Schemas["AnnotationIn"], ifMatch?: string | null) {
  return unwrapVersioned(
    api.POST("/api/projects/{project_id}/images/{image_id}/annotations", {
      params: { path: { project_id: projectId, image_id: imageId }, header: ifMatch ? { "if-match": ifMatch } : undefined },
      body,
    }),
  );
}
