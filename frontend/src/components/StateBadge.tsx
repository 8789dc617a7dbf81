/** A job, task or worker state as a coloured badge. */
export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge--${state.replace(/[^a-z]/g, "")}`}>{state}</span>;
}
