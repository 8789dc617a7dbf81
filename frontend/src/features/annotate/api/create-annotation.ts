import { api, unwrap, type Schemas } from "@/lib/api/client";

// Used by the editor's save queue (useAnnotationSession), which invalidates when a save is done.
export function createAnnotation(projectId: number, imageId: number, body: Schemas["AnnotationIn"]) {
  return unwrap(
    api.POST("/api/projects/{project_id}/images/{image_id}/annotations", {
      params: { path: { project_id: projectId, image_id: imageId } },
      body,
    }),
  );
}
