import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";

export type Webhook = Schemas["WebhookOut"];
export type WebhookEvent = NonNullable<Schemas["WebhookIn"]["events"]>[number];
export const WEBHOOK_EVENTS: WebhookEvent[] = ["job.succeeded", "job.failed", "model.created", "import.finished"];

const key = (projectId: number) => ["webhooks", projectId] as const;

/** The project's webhooks with their last delivery status (owners only). */
export function useWebhooks(projectId: number, enabled = true) {
  return useQuery({
    queryKey: key(projectId),
    queryFn: () => unwrap(api.GET("/api/projects/{project_id}/webhooks", { params: { path: { project_id: projectId } } })),
    enabled,
    refetchInterval: 10_000, // last status changes as deliveries are made
  });
}

/** Register a URL; the answer carries the signing secret, shown once. */
export function useCreateWebhook(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { url: string; events: WebhookEvent[] }) =>
      unwrap(api.POST("/api/projects/{project_id}/webhooks", { params: { path: { project_id: projectId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: key(projectId) }),
  });
}

export function useUpdateWebhook(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ hookId, ...body }: { hookId: number; active?: boolean; rotate_secret?: boolean }) =>
      unwrap(
        api.PATCH("/api/projects/{project_id}/webhooks/{hook_id}", {
          params: { path: { project_id: projectId, hook_id: hookId } },
          body,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: key(projectId) }),
  });
}

export function useDeleteWebhook(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hookId: number) =>
      unwrap(
        api.DELETE("/api/projects/{project_id}/webhooks/{hook_id}", {
          params: { path: { project_id: projectId, hook_id: hookId } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: key(projectId) }),
  });
}
