import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** When, by whom and with how much time each annotation of the project was written (without
 * the boxes): the loop timeline is computed from it. */
export function useAnnotationActivity(projectId: number) {
  return useQuery({
    queryKey: queryKeys.annotationActivity(projectId),
    queryFn: () =>
      unwrap(api.GET("/api/projects/{project_id}/annotations/activity", { params: { path: { project_id: projectId } } })),
  });
}
