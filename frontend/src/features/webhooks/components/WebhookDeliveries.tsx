import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { useWebhookDeliveries, type WebhookDelivery } from "../api/webhooks";

/** What the target last answered for a delivery, or why it did not: "HTTP 200", "HTTP 500: …",
 * "ConnectError: …", "TLS certificate not trusted (…)", or "not sent yet". */
export function describeAnswer(delivery: Pick<WebhookDelivery, "attempt" | "status_code" | "error">): string {
  if (delivery.error) return delivery.error;
  if (delivery.status_code != null) return `HTTP ${delivery.status_code}`;
  return delivery.attempt === 0 ? "not sent yet" : "no answer yet";
}

/** A delivery's times as one phrase: when it was queued, delivered, or is next tried. */
export function describeTimes(delivery: Pick<WebhookDelivery, "state" | "created_at" | "delivered_at" | "next_attempt_at">): string {
  const at = (iso: string) => new Date(iso).toLocaleString();
  const parts = [`queued ${at(delivery.created_at)}`];
  if (delivery.delivered_at) parts.push(`delivered ${at(delivery.delivered_at)}`);
  else if (delivery.state === "pending" && delivery.next_attempt_at) parts.push(`next try ${at(delivery.next_attempt_at)}`);
  return parts.join("; ");
}

/** A webhook's last deliveries, newest first: event, state, attempts, the last HTTP status or
 * error, and times; a Refresh button fetches them again (they are also polled while one is
 * pending). */
export function WebhookDeliveries({ projectId, hookId, url }: { projectId: number; hookId: number; url: string }) {
  const deliveries = useWebhookDeliveries(projectId, hookId);
  return (
    <div className="stack" role="region" aria-label={`Deliveries to ${url}`}>
      <div className="row">
        <strong className="small">Deliveries</strong>{" "}
        <button type="button" className="button--link" onClick={() => void deliveries.refetch()} disabled={deliveries.isFetching} aria-label={`Refresh deliveries to ${url}`}>
          {deliveries.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {deliveries.isPending ? (
        <Spinner label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorMessage error={deliveries.error} title="Could not load deliveries" />
      ) : deliveries.data.length === 0 ? (
        <p className="small muted">No deliveries yet: send a test, or wait for an event.</p>
      ) : (
        <table className="table small" aria-label={`Deliveries to ${url}`}>
          <thead>
            <tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Times</th></tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery">
                <td><code>{d.event}</code></td>
                <td>{d.state}</td>
                <td>{d.attempt}</td>
                <td>{describeAnswer(d)}</td>
                <td>{describeTimes(d)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
