import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export type ImageState = Schemas["ImageOut"]["state"];

/** Set one image's state (complete: a person confirmed every object is boxed; zero boxes is a
 * negative image). `ifMatch`: the version of its annotations the person saw (412 if outdated).
 * The answer's `annotations_version` is the new version. */
export function setImageState(projectId: number, imageId: number, state: ImageState, ifMatch?: string | null) {
  return unwrap(
    api.PATCH("/api/projects/{project_id}/images/{image_id}", {
      params: { path: { project_id: projectId, image_id: imageId }, header: ifMatch ? { "if-match": ifMatch } : undefined },
      body: { state },
    }),
  );
}

/** Set several images' state at once (all or nothing: the server refuses the whole request if
 * one image cannot take it, e.g. "in progress" for an image with no box). */
export function useSetImageStates(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { image_ids: number[]; state: ImageState }) =>
      unwrap(api.POST("/api/projects/{project_id}/images/state", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
    },
  });
}
