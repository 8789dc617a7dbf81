import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api } from "@/lib/api/client";
import type { Middleware } from "openapi-fetch";
import type { Webhook, WebhookDelivery } from "../api/webhooks";
import { describeAnswer, describeTimes } from "./WebhookDeliveries";
import { WebhooksSection } from "./WebhooksSection";

const HOOK: Webhook = {
  id: 7,
  project_id: 3,
  url: "https://ci.example.com/hook",
  events: ["job.succeeded"],
  active: true,
  created_at: "2026-01-01T00:00:00Z",
  last_status: 500,
  last_error: "HTTP 500: oops",
  last_delivery_at: "2026-01-01T00:01:00Z",
  secret: null,
};

function delivery(id: number, fields: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id,
    webhook_id: HOOK.id,
    event: "job.succeeded",
    payload: {},
    state: "delivered",
    attempt: 1,
    status_code: 200,
    error: null,
    next_attempt_at: null,
    created_at: "2026-01-01T00:00:00Z",
    delivered_at: "2026-01-01T00:00:01Z",
    ...fields,
  };
}

/** The server's side of the API, in memory: the webhook list, its deliveries (answered oldest
 * first, to show the client orders them) and POST …/test, which queues one; every request is
 * logged as "METHOD path". */
class FakeServer {
  requests: string[] = [];
  deliveries: WebhookDelivery[] = [
    delivery(1),
    delivery(2, { state: "failed", attempt: 6, status_code: 500, error: "HTTP 500: oops", delivered_at: null }),
  ];
  middleware: Middleware = {
    onRequest: async ({ request }) => {
      const path = new URL(request.url).pathname;
      this.requests.push(`${request.method} ${path}`);
      const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
      if (request.method === "GET" && path === "/api/projects/3/webhooks") return json([HOOK]);
      if (request.method === "GET" && path === "/api/projects/3/webhooks/7/deliveries") return json(this.deliveries);
      if (request.method === "POST" && path === "/api/projects/3/webhooks/7/test") {
        const queued = delivery(this.deliveries.length + 1, {
          event: "webhook.test",
          state: "pending",
          attempt: 0,
          status_code: null,
          delivered_at: null,
          next_attempt_at: "2026-01-01T00:02:00Z",
        });
        this.deliveries = [...this.deliveries, queued];
        return json(queued, 202);
      }
      return json({ detail: `no route ${path}` }, 404);
    },
  };
  count = (request: string) => this.requests.filter((r) => r === request).length;
}

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer();
  api.use(server.middleware);
});
afterEach(() => api.eject(server.middleware));

function renderSection() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <WebhooksSection projectId={3} isOwner />
    </QueryClientProvider>,
  );
}

const rows = () => screen.getAllByTestId("webhook-delivery").map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent));

describe("WebhookDeliveries", () => {
  it("describes the last answer: HTTP status, error, or not sent yet", () => {
    expect(describeAnswer({ attempt: 1, status_code: 200, error: null })).toBe("HTTP 200");
    expect(describeAnswer({ attempt: 2, status_code: 500, error: "HTTP 500: oops" })).toBe("HTTP 500: oops");
    expect(describeAnswer({ attempt: 1, status_code: null, error: "TLS certificate not trusted (x)" })).toBe("TLS certificate not trusted (x)");
    expect(describeAnswer({ attempt: 0, status_code: null, error: null })).toBe("not sent yet");
  });

  it("gives when a delivery was queued and delivered, or is tried next", () => {
    const base = { created_at: "2026-01-01T00:00:00Z", delivered_at: null, next_attempt_at: null };
    expect(describeTimes({ ...base, state: "delivered", delivered_at: "2026-01-01T00:00:01Z" })).toMatch(/^queued .+; delivered .+$/);
    expect(describeTimes({ ...base, state: "pending", next_attempt_at: "2026-01-01T00:05:00Z" })).toMatch(/^queued .+; next try .+$/);
    expect(describeTimes({ ...base, state: "failed" })).toMatch(/^queued [^;]+$/);
  });

  it("shows a webhook's deliveries newest first, and fetches them again on Refresh", async () => {
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: `Show deliveries to ${HOOK.url}` }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((cells) => cells.slice(0, 4))).toEqual([
      ["job.succeeded", "failed", "6", "HTTP 500: oops"],
      ["job.succeeded", "delivered", "1", "HTTP 200"],
    ]);
    expect(rows()[0][4]).toMatch(/^queued /);
    expect(server.count("GET /api/projects/3/webhooks/7/deliveries")).toBe(1);

    server.deliveries = [...server.deliveries, delivery(3, { event: "model.created" })];
    fireEvent.click(screen.getByRole("button", { name: `Refresh deliveries to ${HOOK.url}` }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[0].slice(0, 4)).toEqual(["model.created", "delivered", "1", "HTTP 200"]);
    expect(server.count("GET /api/projects/3/webhooks/7/deliveries")).toBe(2);
  });

  it("sends a test delivery with Send test, then shows the deliveries with it on top", async () => {
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: `Send test to ${HOOK.url}` }));
    await waitFor(() => expect(server.count("POST /api/projects/3/webhooks/7/test")).toBe(1));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[0].slice(0, 4)).toEqual(["webhook.test", "pending", "0", "not sent yet"]);
    expect(rows()[0][4]).toMatch(/next try/);
    expect(server.count("GET /api/projects/3/webhooks")).toBe(1);

    // once it is delivered, the webhook's own last status is fetched again too
    server.deliveries = server.deliveries.map((d) => (d.id === 3 ? { ...d, state: "delivered", attempt: 1, status_code: 200, delivered_at: "2026-01-01T00:02:01Z" } : d));
    fireEvent.click(screen.getByRole("button", { name: `Refresh deliveries to ${HOOK.url}` }));
    await waitFor(() => expect(rows()[0].slice(0, 4)).toEqual(["webhook.test", "delivered", "1", "HTTP 200"]));
    await waitFor(() => expect(server.count("GET /api/projects/3/webhooks")).toBe(2));
  });

  it("refreshes the shown deliveries after another Send test", async () => {
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: `Show deliveries to ${HOOK.url}` }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(screen.getByRole("button", { name: `Send test to ${HOOK.url}` }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[0][0]).toBe("webhook.test");
    expect(server.count("GET /api/projects/3/webhooks/7/deliveries")).toBe(2);
  });

  it("says why a test delivery was not queued", async () => {
    server.middleware.onRequest = async ({ request }) =>
      request.method === "POST"
        ? new Response(JSON.stringify({ detail: "webhook 7 is inactive: activate it to send a test delivery" }), { status: 409, headers: { "Content-Type": "application/json" } })
        : new Response(JSON.stringify([HOOK]), { status: 200, headers: { "Content-Type": "application/json" } });
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: `Send test to ${HOOK.url}` }));
    expect(await screen.findByText(/inactive: activate it/)).toBeTruthy();
  });
});
