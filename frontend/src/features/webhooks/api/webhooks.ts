import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
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

export type WebhookDelivery = Schemas["WebhookDeliveryOut"];

const deliveriesKey = (projectId: number, hookId: number) => ["webhooks", projectId, hookId, "deliveries"] as const;

/** Newest first (by id: a later delivery has a larger id), whatever order they came in. */
export function newestFirst(deliveries: readonly WebhookDelivery[]): WebhookDelivery[] {
  return [...deliveries].sort((a, b) => b.id - a.id);
}

/** Whether a delivery may still change (waiting for an attempt, or being sent). */
export const unsettled = (delivery: Pick<WebhookDelivery, "state">) => delivery.state === "pending" || delivery.state === "sending";

/** A webhook's last deliveries, newest first; polled every 2 s while one is still pending or
 * being sent, else fetched again only when asked (`refetch`) or after a test delivery. */
export function useWebhookDeliveries(projectId: number, hookId: number, limit = 20) {
  const client = useQueryClient();
  const waiting = useRef(false);
  const deliveries = useQuery({
    queryKey: [...deliveriesKey(projectId, hookId), limit],
    queryFn: async () =>
      newestFirst(
        await unwrap(
          api.GET("/api/projects/{project_id}/webhooks/{hook_id}/deliveries", {
            params: { path: { project_id: projectId, hook_id: hookId }, query: { limit } },
          }),
        ),
      ),
    refetchInterval: (query) => (query.state.data?.some(unsettled) ? 2_000 : false),
  });
  // when the last pending delivery settles, the webhook's "last delivery" changed too
  const pending = deliveries.data?.some(unsettled) ?? false;
  useEffect(() => {
    if (waiting.current && !pending) void client.invalidateQueries({ queryKey: key(projectId), exact: true });
    waiting.current = pending;
  }, [client, pending, projectId]);
  return deliveries;
}

/** Queue a signed `webhook.test` delivery to one webhook (202 with the delivery); its
 * deliveries and the webhook's last status are fetched again. */
export function useSendTestDelivery(projectId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hookId: number) =>
      unwrap(
        api.POST("/api/projects/{project_id}/webhooks/{hook_id}/test", {
          params: { path: { project_id: projectId, hook_id: hookId } },
        }),
      ),
    onSuccess: (_delivery, hookId) => client.invalidateQueries({ queryKey: deliveriesKey(projectId, hookId) }),
  });
}
