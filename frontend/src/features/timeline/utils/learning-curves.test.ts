import { describe, expect, it } from "vitest";
import { learningCurve, timelineSeries, type CurveModel } from "./learning-curves";
import { buildTimeline, type AnnotationActivity, type TimelineJob } from "./timeline";

const job = (id: number, created: string, ap50: number | null, timings: Record<string, number> = {}): TimelineJob => ({
  id,
  kind: "iterate",
  state: "succeeded",
  created_at: `2025-01-01T10:${created}Z`,
  timings,
  result: ap50 == null ? {} : { metrics: { AP50: ap50 } },
});
const note = (at: string, ms: number): AnnotationActivity => ({ updated_at: `2025-01-01T10:${at}Z`, time_spent_ms: ms, source: "human", author_id: 1 });
const model = (id: number, jobId: number | null, images: number | undefined, holdoutAp50?: number): CurveModel => ({
  id,
  name: `v${id}`,
  source_job_id: jobId,
  training_set: images == null ? {} : { num_images: images, num_complete: images },
  metrics: holdoutAp50 == null ? {} : { holdout: { AP50: holdoutAp50 } },
});

describe("learning curves", () => {
  const jobs = [job(5, "05:00", 0.4, { total: 60 }), job(9, "10:00", null, { total: 120 }), job(12, "15:00", 0.6, { total: 30 })];
  const annotations = [note("01:00", 30_000), note("04:00", 30_000), note("07:00", 90_000), note("12:00", 60_000), note("16:00", 1_000)];
  const rows = buildTimeline(jobs, annotations);

  it("gives one point per evaluated iteration: images trained on, cumulative annotation time, AP50", () => {
    const points = learningCurve(rows, [model(1, 5, 10), model(2, 9, 14), model(3, 12, 20), model(4, null, 3, 0.9)]);
    // job 9 has no AP50 and its model no holdout evaluation: no point
    expect(points.map((p) => p.jobId)).toEqual([5, 12]);
    expect(points[0]).toMatchObject({ iteration: 1, modelName: "v1", images: 10, annotatingSeconds: 60, ap50: 0.4 });
    // the annotation time is cumulative: 60 s before job 5, 90 s before job 9, 60 s before job 12
    expect(points[1]).toMatchObject({ iteration: 3, images: 20, annotatingSeconds: 210, ap50: 0.6 });
  });

  it("falls back to the model's holdout AP50 and skips models without a training set", () => {
    const points = learningCurve(rows, [model(1, 5, undefined), model(2, 9, 14, 0.5)]);
    expect(points).toEqual([{ iteration: 2, jobId: 9, modelId: 2, modelName: "v2", images: 14, annotatingSeconds: 150, ap50: 0.5 }]);
  });

  it("shapes the timeline as minutes per iteration, leaving out the run still being annotated for", () => {
    const series = timelineSeries(rows);
    expect(rows.at(-1)?.jobId).toBeNull(); // 1 s annotated after the last run
    expect(series.annotating).toEqual([[1, 1], [2, 1.5], [3, 1]]);
    expect(series.waiting).toEqual([[1, 1], [2, 2], [3, 0.5]]);
  });
});
