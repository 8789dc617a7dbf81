import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { queryKeys } from "@/lib/query-keys";

export function useCreateProject() {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: Schemas["ProjectCreate"]) => unwrap(api.POST("/api/projects", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.projects }),
  });
}
