import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";
import { listAnnotations } from "./list-annotations";

/** When and with how much time each annotation of the project was written (the loop timeline).
 * TEMPORARY: read image by image until the API has a project-wide listing. */
export function useAnnotationActivity(projectId: number) {
  return useQuery({
    queryKey: queryKeys.annotationActivity(projectId),
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/projects/{project_id}/images", { params: { path: { project_id: projectId }, query: { annotated: true, limit: 1000 } } }),
      );
      const lists = await Promise.all(page.items.map((image) => listAnnotations(projectId, image.id)));
      return lists.flat().map((a) => ({ updated_at: a.updated_at, time_spent_ms: a.time_spent_ms, source: a.source, author_id: a.author_id ?? null }));
    },
  });
}
