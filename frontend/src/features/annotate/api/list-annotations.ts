import { useQuery } from "@tanstack/react-query";
import { api, unwrap, unwrapVersioned } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function listAnnotations(projectId: number, imageId: number) {
  return unwrap(
    api.GET("/api/projects/{project_id}/images/{image_id}/annotations", {
      params: { path: { project_id: projectId, image_id: imageId } },
    }),
  );
}

/** The image's boxes with their version (the ETag the editor sends back as If-Match). */
export function listAnnotationsVersioned(projectId: number, imageId: number) {
  return unwrapVersioned(
    api.GET("/api/projects/{project_id}/images/{image_id}/annotations", {
      params: { path: { project_id: projectId, image_id: imageId } },
    }),
  );
}

export function useAnnotations(projectId: number, imageId: number | null) {
  return useQuery({
    queryKey: queryKeys.imageAnnotations(projectId, imageId ?? -1),
    enabled: imageId != null,
    queryFn: () => listAnnotations(projectId, imageId ?? -1),
  });
}
