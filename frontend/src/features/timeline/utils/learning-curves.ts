// Learning curves of the loop: how the holdout AP50 grows as the user annotates.
//
// One point per evaluated iteration (an adapt or iterate job whose model has a holdout AP50):
// - images: the complete adapt-pool images its adaptation trained on, i.e. the annotated images
//   at the time the iteration's adapt started (the model's training_set.num_images, snapshotted
//   when the adapt task was handed to a worker);
// - annotating: the annotation time recorded by the editor up to the job's creation, summed over
//   this iteration and every one before it (the timeline's "Annotating" column, cumulative);
// - ap50: the AP50 the job reached on the holdout pool, else the model's latest holdout AP50.
import type { TimelineRow } from "./timeline";

export type CurveModel = {
  id: number;
  name: string;
  source_job_id: number | null;
  training_set: Record<string, unknown>;
  metrics: Record<string, unknown>;
};

export type LearningPoint = {
  iteration: number;
  jobId: number;
  modelId: number;
  modelName: string;
  images: number;
  annotatingSeconds: number;
  ap50: number;
};

const finite = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function learningCurve(rows: readonly TimelineRow[], models: readonly CurveModel[]): LearningPoint[] {
  const byJob = new Map(models.filter((m) => m.source_job_id != null).map((m) => [m.source_job_id!, m]));
  const points: LearningPoint[] = [];
  let annotating = 0;
  for (const row of rows) {
    annotating += row.annotatingSeconds;
    if (row.jobId == null) continue;
    const model = byJob.get(row.jobId);
    if (!model) continue;
    const holdout = model.metrics?.holdout as Record<string, unknown> | undefined;
    const ap50 = row.ap50 ?? finite(holdout?.AP50);
    const images = finite(model.training_set?.num_images);
    if (ap50 == null || images == null) continue;
    points.push({ iteration: row.iteration, jobId: row.jobId, modelId: model.id, modelName: model.name, images, annotatingSeconds: annotating, ap50 });
  }
  return points;
}

/** The loop timeline as series against the iteration: minutes annotating before each run, and
 * minutes waited for it (queue, adapt, detect, evaluate). */
export function timelineSeries(rows: readonly TimelineRow[]): { annotating: [number, number][]; waiting: [number, number][] } {
  const done = rows.filter((r) => r.jobId != null);
  return {
    annotating: done.map((r): [number, number] => [r.iteration, r.annotatingSeconds / 60]),
    waiting: done.filter((r) => r.waitingSeconds != null).map((r): [number, number] => [r.iteration, r.waitingSeconds! / 60]),
  };
}
