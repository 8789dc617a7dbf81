import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { Middleware } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api } from "@/lib/api/client";
import { PredictionsExport } from "./PredictionsExport";

// The files ticket the link carries (POST /api/tickets), answered in memory.
const tickets: Middleware = {
  onRequest: async ({ request }) =>
    new URL(request.url).pathname === "/api/tickets"
      ? new Response(JSON.stringify({ ticket: "t1", expires_in: 900 }), { status: 201, headers: { "Content-Type": "application/json" } })
      : new Response(JSON.stringify({ detail: "no route" }), { status: 404, headers: { "Content-Type": "application/json" } }),
};
beforeEach(() => api.use(tickets));
afterEach(() => api.eject(tickets));

describe("PredictionsExport", () => {
  it("downloads every prediction by default, and only the chosen review statuses when some are left out", async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <PredictionsExport projectId={3} jobId={9} />
      </QueryClientProvider>,
    );
    const link = () => screen.getByText("Download zip").closest("a") as HTMLAnchorElement;
    await waitFor(() => expect(link().getAttribute("href")).toBe("/api/projects/3/jobs/9/predictions/export?format=coco&images=false&ticket=t1"));
    for (const status of ["pending", "accepted", "rejected"]) expect((screen.getByLabelText(status) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByLabelText("pending"));
    expect(link().getAttribute("href")).toBe("/api/projects/3/jobs/9/predictions/export?format=coco&images=false&status=accepted&status=rejected&ticket=t1");
    fireEvent.click(screen.getByLabelText("rejected"));
    fireEvent.change(screen.getByLabelText("Predictions export format"), { target: { value: "yolo" } });
    expect(link().getAttribute("href")).toBe("/api/projects/3/jobs/9/predictions/export?format=yolo&images=false&status=accepted&ticket=t1");
    fireEvent.click(screen.getByLabelText("accepted"));
    expect(link().getAttribute("href")).toBeNull(); // nothing chosen: no download
    expect(link().getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByText("Choose at least one review status.")).toBeTruthy();
  });
});
