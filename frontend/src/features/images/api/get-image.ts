import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useImage(projectId: number, imageId: number | null) {
  return useQuery({
    queryKey: queryKeys.image(projectId, imageId ?? -1),
    enabled: imageId != null,
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/images/{image_id}", {
          params: { path: { project_id: projectId, image_id: imageId ?? -1 } },
        }),
      ),
  });
}
