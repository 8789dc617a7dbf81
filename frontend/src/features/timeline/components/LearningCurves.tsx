import { LineChart } from "@/components/charts/LineChart";
import { formatMetric, formatSeconds } from "@/lib/format";
import type { LearningPoint } from "../utils/learning-curves";
import { timelineSeries } from "../utils/learning-curves";
import type { TimelineRow } from "../utils/timeline";

/** AP50 on the holdout pool against the annotated images and against the annotation time, one
 * point per evaluated iteration; and the timeline's minutes per iteration as a chart. */
export function LearningCurves({ points, rows }: { points: readonly LearningPoint[]; rows: readonly TimelineRow[] }) {
  const timeline = timelineSeries(rows);
  if (timeline.annotating.length === 0) return null;
  return (
    <section aria-labelledby="curves-title">
      <h3 id="curves-title">Learning curves</h3>
      {points.length === 0 ? (
        <p className="empty">No evaluated iteration yet: an Iterate run evaluates its model on the holdout pool.</p>
      ) : (
        <p className="muted small">
          One point per evaluated iteration. Annotated images: the complete adapt-pool images the iteration's adaptation trained on (counted when its adapt started). Annotation time: the editor's recorded time on annotations written before the run, summed over the iterations so far.
        </p>
      )}
      <div className="charts">
        {points.length > 0 && (
          <LineChart testId="curve-images" title="AP50 against annotated images" xLabel="annotated images" yLabel="AP50" yDomain={[0, 1]} markers integerX
            series={[{ name: "AP50", color: "#2563eb", points: points.map((p): [number, number] => [p.images, p.ap50]) }]} />
        )}
        {points.length > 0 && (
          <LineChart testId="curve-time" title="AP50 against annotation time" xLabel="annotation time (minutes, cumulative)" yLabel="AP50" yDomain={[0, 1]} markers
            series={[{ name: "AP50", color: "#7c3aed", points: points.map((p): [number, number] => [Number((p.annotatingSeconds / 60).toFixed(3)), p.ap50]) }]} />
        )}
        <LineChart testId="timeline-chart" title="Loop timeline: minutes per iteration" xLabel="iteration" yLabel="minutes" markers integerX
          series={[
            { name: "annotating before the run", color: "#059669", points: timeline.annotating },
            { name: "waiting for the run", color: "#dc2626", points: timeline.waiting },
          ]} />
      </div>
      {points.length > 0 && (
        <table className="table table--numbers small" aria-label="Learning curve points" data-testid="curve-points">
          <thead>
            <tr><th scope="col">Iteration</th><th scope="col">Model</th><th scope="col">Annotated images</th><th scope="col">Annotation time</th><th scope="col">AP50</th></tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.jobId} data-testid="curve-point" data-images={p.images} data-seconds={p.annotatingSeconds}>
                <th scope="row">{p.iteration}</th>
                <td>{p.modelName}</td>
                <td>{p.images}</td>
                <td>{formatSeconds(p.annotatingSeconds)}</td>
                <td>{formatMetric(p.ap50)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
