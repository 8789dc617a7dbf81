// Turning API failures into sentences a person can act on.

import { fieldLabel, inFormWords } from "@/lib/field-labels";

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

type ValidationItem = { loc?: (string | number)[]; msg?: string };

/** FastAPI answers `{detail: "text"}` for service errors and `{detail: [{loc, msg}]}` for
 * validation errors; anything else falls back to the HTTP status. */
export function describeApiError(status: number, body: unknown): string {
  const detail = (body as { detail?: unknown } | null | undefined)?.detail;
  if (typeof detail === "string" && detail) return inFormWords(detail);
  if (Array.isArray(detail) && detail.length) {
    return (detail as ValidationItem[])
      .map((item) => {
        // the field in the form's words (`routine → train_layers` reads "Update routine → Layers trained")
        const where = (item.loc ?? []).filter((part) => part !== "body" && part !== "params").map((part) => fieldLabel(String(part))).join(" → ");
        const message = inFormWords(item.msg ?? "invalid");
        return where ? `${where}: ${message}` : message;
      })
      .join("; ");
  }
  if (status === 401) return "You are not signed in (or your session expired): sign in again.";
  if (status === 403) return "You do not have permission to do this.";
  if (status === 404) return "Not found.";
  if (status === 413) return "The upload is too large.";
  if (status >= 500) return `The server failed (HTTP ${status}); try again, and check the server log if it persists.`;
  return `The request failed (HTTP ${status}).`;
}

/** A write refused because what it was based on changed meanwhile (HTTP 412, `If-Match` on an
 * outdated version): someone else wrote first. */
export function isStaleWrite(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "Cannot reach the server: check your connection and that MetaLoop is running.";
  if (error instanceof Error) return error.message;
  return String(error);
}
