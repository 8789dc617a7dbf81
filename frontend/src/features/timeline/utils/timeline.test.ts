import { describe, expect, it } from "vitest";
import { buildTimeline, type AnnotationActivity, type TimelineJob } from "./timeline";

const job = (id: number, kind: string, created: string, ap50: number | null, timings = {}): TimelineJob => ({
  id,
  kind,
  state: "succeeded",
  created_at: `2025-01-01T10:${created}Z`,
  timings,
  result: ap50 == null ? {} : { metrics: { AP50: ap50 } },
});
const note = (at: string, ms: number, source = "human", author_id: number | null = 1): AnnotationActivity => ({
  updated_at: `2025-01-01T10:${at}Z`,
  time_spent_ms: ms,
  source,
  author_id,
});

describe("the loop timeline", () => {
  it("gives each iteration the annotating time since the previous one and its waits and AP50", () => {
    const jobs = [
      job(5, "iterate", "05:00", 0.4, { queue_wait: 0.5, adapt: 4, detect: 3, evaluate: 1, total: 9 }),
      job(9, "iterate", "10:00", 0.55, { adapt: 5, total: 11 }),
    ];
    const annotations = [note("01:00", 20_000), note("04:59", 10_000), note("07:00", 5_000), note("08:00", 0, "accepted_prediction")];
    const rows = buildTimeline(jobs, annotations);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ iteration: 1, jobId: 5, annotatingSeconds: 30, boxesDrawn: 2, adaptSeconds: 4, waitingSeconds: 9, ap50: 0.4, ap50Change: null });
    expect(rows[1]).toMatchObject({ iteration: 2, jobId: 9, annotatingSeconds: 5, boxesDrawn: 1, predictionsAccepted: 1, ap50: 0.55 });
    expect(rows[1]?.ap50Change).toBeCloseTo(0.15);
  });

  it("leaves out other job kinds and orders by creation time", () => {
    const rows = buildTimeline([job(3, "iterate", "09:00", null), job(2, "detect", "01:00", null), job(1, "adapt", "02:00", 0.3)], []);
    expect(rows.map((r) => r.jobId)).toEqual([1, 3]);
  });

  it("does not count annotations nobody drew (imported or generated)", () => {
    const rows = buildTimeline([job(1, "iterate", "02:00", 0.3)], [note("01:00", 0, "human", null), note("01:30", 4_000)]);
    expect(rows[0]).toMatchObject({ boxesDrawn: 1, annotatingSeconds: 4 });
  });

  it("adds a row for annotating done after the last iteration", () => {
    const rows = buildTimeline([job(1, "iterate", "02:00", 0.3)], [note("03:00", 7_000)]);
    expect(rows[1]).toMatchObject({ jobId: null, kind: "next", annotatingSeconds: 7 });
  });

  it("sums the stage timings when the job has not finished", () => {
    const rows = buildTimeline([{ ...job(1, "iterate", "02:00", null, { queue_wait: 1, adapt: 2 }), state: "running" }], []);
    expect(rows[0]?.waitingSeconds).toBe(3);
  });
});
