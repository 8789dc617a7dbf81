export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** A metric shown in a table or a sentence. Null is a metric that does not apply (e.g. COCO's AP
 * small on a holdout with no small box) or was not measured: shown as "—", never as 0. */
export const NO_METRIC = "—";

export function formatMetric(value: number | null | undefined, digits = 3): string {
  return value == null || !Number.isFinite(value) ? NO_METRIC : value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? "–" : `${Math.round(value * 100)}%`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A list's total: "3", or "10,000+" where the server stopped counting (`total_exact` false). */
export function formatTotal(total: number, exact = true): string {
  return exact ? String(total) : `${total.toLocaleString("en-US")}+`;
}

/** "1 image", "3 images". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** The difference a − b with its sign, "±0.000" when it rounds to nothing. */
export function formatChange(a: number | null | undefined, b: number | null | undefined, digits = 3): string {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b)) return NO_METRIC;
  const change = a - b;
  if (Math.abs(change) < 0.5 * 10 ** -digits) return `±${(0).toFixed(digits)}`;
  return `${change > 0 ? "+" : "−"}${Math.abs(change).toFixed(digits)}`;
}

/** What a base model was trained on, in words: a class-agnostic model (no classes on its card)
 * learns the project's classes when it is adapted. */
export function trainedOn(classes: string[]): string {
  if (classes.length === 0) return "meta-trained without fixed classes: it learns this project's classes when you adapt it.";
  const shown = classes.slice(0, 12).join(", ") + (classes.length > 12 ? "…" : "");
  return `trained on ${classes.length} ${classes.length === 1 ? "class" : "classes"} (${shown}).`;
}
