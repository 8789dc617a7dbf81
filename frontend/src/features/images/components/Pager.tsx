/** Previous/next page of a paginated list. */
export function Pager({ offset, limit, total, onOffset }: { offset: number; limit: number; total: number; onOffset: (offset: number) => void }) {
  if (total <= limit) return null;
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>‹ Previous</button>
      <span className="muted">{offset + 1}–{Math.min(total, offset + limit)} of {total}</span>
      <button type="button" disabled={offset >= last} onClick={() => onOffset(Math.min(last, offset + limit))}>Next ›</button>
    </nav>
  );
}
