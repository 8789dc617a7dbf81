import { formatChange, formatMetric, formatSeconds, formatTime, NO_METRIC } from "@/lib/format";
import type { TimelineRow } from "../utils/timeline";

/** Per iteration of the loop: time annotating, time waiting for each stage, the AP50 reached. */
export function TimelineTable({ rows, onOpenJob }: { rows: readonly TimelineRow[]; onOpenJob: (jobId: number) => void }) {
  if (rows.length === 0) return <p className="empty">No iteration yet: annotate a few images, then run Iterate on the Adapt page.</p>;
  const total = (pick: (r: TimelineRow) => number | null) => rows.reduce((sum, r) => sum + (pick(r) ?? 0), 0);
  return (
    // scrolls sideways on narrow screens instead of running under the sidebar (focusable, so
    // the keyboard can scroll it too)
    <div role="region" aria-label="Loop timeline table" tabIndex={0} style={{ overflowX: "auto", maxWidth: "100%" }}>
    <table className="table table--numbers" data-testid="timeline" aria-label="Loop timeline">
      <thead>
        <tr>
          <th scope="col">Iteration</th>
          <th scope="col">Job</th>
          <th scope="col">Submitted</th>
          <th scope="col">Annotating</th>
          <th scope="col">Boxes drawn</th>
          <th scope="col">Predictions accepted</th>
          <th scope="col">Queue</th>
          <th scope="col">Adapt</th>
          <th scope="col">Detect</th>
          <th scope="col">Evaluate</th>
          <th scope="col">Waiting, total</th>
          <th scope="col">AP50</th>
          <th scope="col">Δ AP50</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.jobId ?? "next"} data-testid="timeline-row" data-iteration={r.iteration}>
            <th scope="row">{r.jobId == null ? `${r.iteration} (in progress)` : r.iteration}</th>
            <td>{r.jobId == null ? "annotating…" : <button type="button" className="button--link" onClick={() => onOpenJob(r.jobId!)}>{r.kind} #{r.jobId} ({r.state})</button>}</td>
            <td>{formatTime(r.startedAt)}</td>
            <td>{formatSeconds(r.annotatingSeconds)}</td>
            <td>{r.boxesDrawn}</td>
            <td>{r.predictionsAccepted}</td>
            <td>{formatSeconds(r.queueSeconds)}</td>
            <td>{formatSeconds(r.adaptSeconds)}</td>
            <td>{formatSeconds(r.detectSeconds)}</td>
            <td>{formatSeconds(r.evaluateSeconds)}</td>
            <td>{formatSeconds(r.waitingSeconds)}</td>
            <td data-testid="timeline-ap50">{formatMetric(r.ap50)}</td>
            <td>{r.ap50Change == null ? NO_METRIC : formatChange(r.ap50Change, 0)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>Session total</th>
          <td>{formatSeconds(total((r) => r.annotatingSeconds))}</td>
          <td>{total((r) => r.boxesDrawn)}</td>
          <td>{total((r) => r.predictionsAccepted)}</td>
          <td colSpan={4} />
          <td>{formatSeconds(total((r) => r.waitingSeconds))}</td>
          <td colSpan={2} />
        </tr>
      </tfoot>
    </table>
    </div>
  );
}
