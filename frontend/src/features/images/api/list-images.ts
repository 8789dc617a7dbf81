import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys, type ImageFilters } from "@/lib/query-keys";

export function useImages(projectId: number, filters: ImageFilters, options: { refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: queryKeys.imageList(projectId, filters),
    queryFn: () =>
      unwrap(api.GET("/api/projects/{project_id}/images", { params: { path: { project_id: projectId }, query: filters } })),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
  });
}
