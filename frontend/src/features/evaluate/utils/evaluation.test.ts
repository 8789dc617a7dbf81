import { describe, expect, it } from "vitest";
import { checkpointSeries, latestEvaluation, type MetricRow } from "./evaluation";

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
