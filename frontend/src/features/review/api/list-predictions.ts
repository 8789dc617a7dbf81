import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export type PredictionQuery = {
  job_id?: number;
  image_id?: number;
  status?: "pending" | "accepted" | "rejected";
  min_score?: number;
  sort?: "uncertainty" | "confidence" | "image";
  limit?: number;
  offset?: number;
};

export function usePredictions(projectId: number, query: PredictionQuery, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.predictions(projectId), "list", query],
    enabled,
    queryFn: () =>
      unwrap(api.GET("/api/projects/{project_id}/predictions", { params: { path: { project_id: projectId }, query } })),
  });
}
