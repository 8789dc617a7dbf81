import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

/** A project of synthetic letters, filled by a `generate` job on a worker. */
export function useCreateDemoProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/projects/demo", { body: {} })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.projects }),
  });
}
