import { describe, expect, it } from "vitest";
import { checkpointSeries, latestEvaluation, type MetricRow } from "./evaluation";
import { evaluationBoxes, MATCH_COLORS } from "./image-evaluation";

const row = (job_id: number, name: string, value: number, class_id: number | null = null, step: number | null = null): MetricRow => ({
  job_id, name, value, class_id, class_name: class_id == null ? null : `c${class_id}`, step,
});

describe("reading evaluations", () => {
  it("takes the latest evaluation of a model, overall and per class", () => {
    const evaluation = latestEvaluation([row(3, "AP50", 0.2), row(7, "AP50", 0.6), row(7, "AP50", 0.5, 2), row(7, "AP", 0.3, 2), row(9, "AP50", 0.1, null, 10)]);
    expect(evaluation?.jobId).toBe(7);
    expect(evaluation?.overall).toEqual({ AP50: 0.6 });
    expect(evaluation?.perClass).toEqual([{ classId: 2, className: "c2", values: { AP50: 0.5, AP: 0.3 } }]);
  });

  it("has nothing to show for a model never evaluated", () => {
    expect(latestEvaluation([row(9, "AP50", 0.1, null, 10)])).toBeNull();
  });

  it("orders checkpoint metrics by step", () => {
    expect(checkpointSeries([{ step: 50, metrics: { AP50: 0.5 } }, { step: 10, metrics: { AP50: 0.2 } }, { step: 20, metrics: {} }], "AP50")).toEqual([[10, 0.2], [50, 0.5]]);
  });
});

describe("drawing an image's evaluation", () => {
  const image = {
    tp: 1, fp: 1, fn: 1,
    detections: [
      { class_id: 1, box: [0, 0, 10, 10], score: 0.9, match: "tp" as const },
      { class_id: 2, box: [20, 0, 10, 10], score: 0.2, match: "fp" as const },
    ],
    missed: [{ class_id: 2, box: [40, 0, 10, 10] }],
  };
  const name = (id: number) => `c${id}`;

  it("colours detections by match and dashes the ground truth missed", () => {
    const boxes = evaluationBoxes(image, name);
    expect(boxes.map((b) => [b.label, b.color, !!b.dashed])).toEqual([
      ["FN c2", MATCH_COLORS.fn, true],
      ["FP c2 0.20", MATCH_COLORS.fp, false],
      ["TP c1 0.90", MATCH_COLORS.tp, false],
    ]);
  });

  it("draws only the detections at or above a score, never hiding a miss", () => {
    const boxes = evaluationBoxes(image, name, 0.5);
    expect(boxes.map((b) => b.label)).toEqual(["FN c2", "TP c1 0.90"]);
  });
});
