import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useDeleteImage(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (imageId: number) =>
      unwrap(
        api.DELETE("/api/projects/{project_id}/images/{image_id}", {
          params: { path: { project_id: projectId, image_id: imageId } },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.projects });
    },
  });
}
