import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** A class with how many annotations (boxes) have it. */
export type ClassUsage = Schemas["LabelClassOut"] & { annotation_count?: number | null };

// under the project's annotations: whatever changes boxes refreshes the counts too
export const classesKey = (projectId: number) => [...queryKeys.annotations(projectId), "classes"] as const;

/** The project's classes with their annotation counts (what deleting one would touch). */
export function useClassUsage(projectId: number) {
  return useQuery({
    queryKey: classesKey(projectId),
    queryFn: async (): Promise<ClassUsage[]> =>
      unwrap(api.GET("/api/projects/{project_id}/classes", { params: { path: { project_id: projectId } } })),
  });
}
