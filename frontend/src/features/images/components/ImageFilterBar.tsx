import { formatTotal, plural } from "@/lib/format";
import type { ImageFilters } from "@/lib/query-keys";

type TriState = "any" | "yes" | "no";
const toTri = (v: boolean | undefined): TriState => (v === undefined ? "any" : v ? "yes" : "no");
const fromTri = (v: string): boolean | undefined => (v === "any" ? undefined : v === "yes");

/** Filters of the image list: pool, state (unlabelled, in progress, complete), annotated or
 * not, has predictions or not. */
export function ImageFilterBar({ filters, onChange, total, totalExact = true }: { filters: ImageFilters; onChange: (f: ImageFilters) => void; total?: number; totalExact?: boolean }) {
  return (
    <div className="filter-bar" role="group" aria-label="Image filters">
      <label>
        Pool
        <select value={filters.pool ?? "any"} onChange={(e) => onChange({ ...filters, offset: 0, pool: e.target.value === "any" ? undefined : (e.target.value as "adapt" | "holdout") })}>
          <option value="any">all</option>
          <option value="adapt">adapt</option>
          <option value="holdout">holdout</option>
        </select>
      </label>
      <label>
        State
        <select value={filters.state ?? "any"} onChange={(e) => onChange({ ...filters, offset: 0, state: e.target.value === "any" ? undefined : (e.target.value as ImageFilters["state"]) })}>
          <option value="any">any</option>
          <option value="unlabelled">unlabelled</option>
          <option value="in_progress">in progress</option>
          <option value="complete">complete</option>
        </select>
      </label>
      <label>
        Annotated
        <select value={toTri(filters.annotated)} onChange={(e) => onChange({ ...filters, offset: 0, annotated: fromTri(e.target.value) })}>
          <option value="any">any</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      </label>
      <label>
        Predictions
        <select value={toTri(filters.has_predictions)} onChange={(e) => onChange({ ...filters, offset: 0, has_predictions: fromTri(e.target.value) })}>
          <option value="any">any</option>
          <option value="yes">has predictions</option>
          <option value="no">none</option>
        </select>
      </label>
      {total !== undefined && <span className="muted" aria-live="polite">{totalExact ? plural(total, "image") : `${formatTotal(total, false)} images`}</span>}
    </div>
  );
}
