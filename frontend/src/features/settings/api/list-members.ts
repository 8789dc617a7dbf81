import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { membersKey } from "./members";

export function useMembers(projectId: number) {
  return useQuery({
    queryKey: membersKey(projectId),
    queryFn: () => unwrap(api.GET("/api/projects/{project_id}/members", { params: { path: { project_id: projectId } } })),
  });
}
