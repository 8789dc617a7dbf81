import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** The shipped base models and this project's adapted versions. */
export function useModels(projectId: number) {
  return useQuery({
    queryKey: queryKeys.models(projectId),
    queryFn: () => unwrap(api.GET("/api/projects/{project_id}/models", { params: { path: { project_id: projectId } } })),
  });
}
