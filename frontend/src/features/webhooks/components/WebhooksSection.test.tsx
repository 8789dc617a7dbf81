import { describe, expect, it } from "vitest";
import { describeLastStatus } from "./WebhooksSection";

describe("describeLastStatus", () => {
  it("says a webhook was not sent yet, delivered or failed", () => {
    expect(describeLastStatus({ last_status: null, last_error: null, last_delivery_at: null })).toBe("not sent yet");
    expect(describeLastStatus({ last_status: 200, last_error: null, last_delivery_at: "2026-01-01T00:00:00Z" })).toBe("delivered (HTTP 200)");
    expect(describeLastStatus({ last_status: 500, last_error: "HTTP 500: oops", last_delivery_at: "2026-01-01T00:00:00Z" })).toBe("failed: HTTP 500: oops");
    expect(describeLastStatus({ last_status: null, last_error: "ConnectError: refused", last_delivery_at: "2026-01-01T00:00:00Z" })).toBe("failed: ConnectError: refused");
  });
});
