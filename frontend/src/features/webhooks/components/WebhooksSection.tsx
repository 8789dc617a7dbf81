import { Fragment, useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import {
  WEBHOOK_EVENTS,
  useCreateWebhook,
  useDeleteWebhook,
  useSendTestDelivery,
  useUpdateWebhook,
  useWebhooks,
  type Webhook,
  type WebhookEvent,
} from "../api/webhooks";
import { WebhookDeliveries } from "./WebhookDeliveries";

/** A delivery's outcome as a word: what the target last answered, or why it did not. */
export function describeLastStatus(hook: Pick<Webhook, "last_status" | "last_error" | "last_delivery_at">): string {
  if (!hook.last_delivery_at) return "not sent yet";
  if (hook.last_error == null && hook.last_status != null) return `delivered (HTTP ${hook.last_status})`;
  return `failed: ${hook.last_error ?? `HTTP ${hook.last_status}`}`;
}

/** The project's webhooks (owners only): URLs that receive signed events when a job finishes or
 * fails, a model is created or an import finishes, with the last delivery status of each, a
 * Send test button (a signed `webhook.test` delivery) and each one's deliveries on demand. */
export function WebhooksSection({ projectId, isOwner }: { projectId: number; isOwner: boolean }) {
  const hooks = useWebhooks(projectId, isOwner);
  const create = useCreateWebhook(projectId);
  const update = useUpdateWebhook(projectId);
  const remove = useDeleteWebhook(projectId);
  const sendTest = useSendTestDelivery(projectId);
  const [open, setOpen] = useState<number[]>([]); // webhooks whose deliveries are shown
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(WEBHOOK_EVENTS);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  if (!isOwner) return null;

  const shown = (hook: Webhook) => hook.secret && setSecret({ url: hook.url, secret: hook.secret });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url: url.trim(), events }, { onSuccess: (hook) => { shown(hook); setUrl(""); } });
  };
  const showDeliveries = (hookId: number, show: boolean) =>
    setOpen((ids) => (show ? (ids.includes(hookId) ? ids : [...ids, hookId]) : ids.filter((id) => id !== hookId)));
  const test = (hookId: number) => sendTest.mutate(hookId, { onSuccess: () => showDeliveries(hookId, true) });
  const toggle = (name: WebhookEvent) => setEvents((chosen) => (chosen.includes(name) ? chosen.filter((e) => e !== name) : [...chosen, name]));

  return (
    <section aria-label="Webhooks" className="webhooks">
      <h3>Webhooks</h3>
      <p className="small muted">
        Each delivery is a POST of JSON signed with the webhook's secret: <code>X-MetaLoop-Signature: sha256=&lt;HMAC-SHA256 of the body&gt;</code>. Failed deliveries are retried with backoff.
      </p>
      {secret && (
        <p className="small" role="status" data-testid="webhook-secret">
          Secret for {secret.url} (shown once, keep it now): <code>{secret.secret}</code>{" "}
          <button type="button" className="button--link" onClick={() => setSecret(null)}>Hide</button>
        </p>
      )}
      <ErrorMessage error={sendTest.error} title="Test delivery not queued" />
      {hooks.isPending ? (
        <Spinner label="Loading webhooks…" />
      ) : hooks.isError ? (
        <ErrorMessage error={hooks.error} title="Could not load webhooks" />
      ) : hooks.data.length === 0 ? (
        <p className="small muted">No webhooks yet.</p>
      ) : (
        <table className="table" aria-label="Webhooks">
          <thead>
            <tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Last delivery</th><th scope="col">Active</th><th scope="col" /></tr>
          </thead>
          <tbody>
            {hooks.data.map((hook) => (
              <Fragment key={hook.id}>
                <tr data-testid="webhook-row">
                  <td><code>{hook.url}</code></td>
                  <td className="small">{hook.events.join(", ")}</td>
                  <td className="small" title={hook.last_delivery_at ? new Date(hook.last_delivery_at).toLocaleString() : undefined}>{describeLastStatus(hook)}</td>
                  <td>
                    <input type="checkbox" checked={hook.active} aria-label={`Active: ${hook.url}`} onChange={(e) => update.mutate({ hookId: hook.id, active: e.target.checked })} />
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => test(hook.id)}
                      disabled={!hook.active || (sendTest.isPending && sendTest.variables === hook.id)}
                      title={hook.active ? "Queue a signed webhook.test delivery" : "Activate the webhook to send a test"}
                      aria-label={`Send test to ${hook.url}`}
                    >
                      Send test
                    </button>{" "}
                    <button type="button" onClick={() => showDeliveries(hook.id, !open.includes(hook.id))} aria-expanded={open.includes(hook.id)} aria-label={`Show deliveries to ${hook.url}`}>
                      Deliveries
                    </button>{" "}
                    <button type="button" onClick={() => update.mutate({ hookId: hook.id, rotate_secret: true }, { onSuccess: shown })}>New secret</button>{" "}
                    <button type="button" onClick={() => remove.mutate(hook.id)} aria-label={`Delete webhook ${hook.url}`}>Delete</button>
                  </td>
                </tr>
                {open.includes(hook.id) && (
                  <tr>
                    <td colSpan={5}>
                      <WebhookDeliveries projectId={projectId} hookId={hook.id} url={hook.url} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={submit} aria-label="Add a webhook">
        <label>
          URL
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/metaloop-hook" maxLength={2048} />
        </label>
        <fieldset>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name} className="inline">
              <input type="checkbox" checked={events.includes(name)} onChange={() => toggle(name)} /> {name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={create.isPending || events.length === 0}>Add webhook</button>
        <ErrorMessage error={create.error ?? update.error ?? remove.error} title="Webhook not saved" />
      </form>
    </section>
  );
}
