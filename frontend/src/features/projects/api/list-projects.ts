import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useProjects() {
  return useQuery({ queryKey: queryKeys.projects, queryFn: () => unwrap(api.GET("/api/projects")) });
}
