import { formatTotal } from "@/lib/format";

/** Previous/next page of a paginated list. Where the total is a lower bound (`exact` false: the
 * server counted up to a cap), there is no last page to compute: `hasNext` (the page has a
 * `next_cursor`) says whether Next leads anywhere. */
export function Pager({
  offset,
  limit,
  total,
  exact = true,
  hasNext,
  onOffset,
}: {
  offset: number;
  limit: number;
  total: number;
  exact?: boolean;
  hasNext?: boolean;
  onOffset: (offset: number) => void;
}) {
  if (exact && total <= limit && offset === 0) return null;
  const more = hasNext ?? offset + limit < total;
  const end = exact ? Math.min(total, offset + limit) : offset + limit;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>‹ Previous</button>
      <span className="muted">{offset + 1}–{end} of {formatTotal(total, exact)}</span>
      <button type="button" disabled={!more} onClick={() => onOffset(offset + limit)}>Next ›</button>
    </nav>
  );
}
