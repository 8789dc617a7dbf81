import type { ImageFilters } from "@/lib/query-keys";

/** Image filters live in the URL (?pool=&state=&annotated=&predictions=&offset=), so a reload
 * or a shared link shows the same list. */
const STATES = ["unlabelled", "in_progress", "complete"] as const;
export function filtersFromParams(params: URLSearchParams): ImageFilters {
  const bool = (key: string) => (params.has(key) ? params.get(key) === "yes" : undefined);
  const pool = params.get("pool");
  const state = STATES.find((s) => s === params.get("state"));
  return {
    pool: pool === "adapt" || pool === "holdout" ? pool : undefined,
    state,
    annotated: bool("annotated"),
    has_predictions: bool("predictions"),
    offset: Number(params.get("offset")) || 0,
  };
}

export function filtersToParams(filters: ImageFilters, base: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(base);
  const set = (key: string, value: string | undefined) => (value === undefined ? next.delete(key) : next.set(key, value));
  set("pool", filters.pool);
  set("state", filters.state);
  set("annotated", filters.annotated === undefined ? undefined : filters.annotated ? "yes" : "no");
  set("predictions", filters.has_predictions === undefined ? undefined : filters.has_predictions ? "yes" : "no");
  set("offset", filters.offset ? String(filters.offset) : undefined);
  return next;
}
