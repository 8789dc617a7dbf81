import { describe, expect, it } from "vitest";
import { logTickLabels, logTicks, tickLabels, ticks } from "./LineChart";

describe("chart ticks", () => {
  it("uses round steps", () => {
    expect(ticks(0, 3)).toEqual([0, 1, 2, 3]);
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.12, 0.97)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(ticks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it("handles an empty range", () => {
    expect(ticks(2, 2)).toEqual([2]);
  });
});

describe("tick labels", () => {
  it("never repeat on a narrow log range (a loss between 1.25 and 1.35)", () => {
    const values = logTicks(1.25, 1.35);
    const labels = tickLabels(values);
    expect(values.length).toBeGreaterThanOrEqual(3);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(["1.26", "1.28", "1.30", "1.32", "1.34"]);
  });

  it("step axes read as whole numbers", () => {
    expect(tickLabels(ticks(0, 10))).toEqual(["0", "2", "4", "6", "8", "10"]);
    expect(tickLabels(ticks(0, 1))).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  });

  it("use 1, 2, 5 × 10^k over a decade or more, decades only when those are many", () => {
    expect(logTicks(0.15, 3)).toEqual([0.2, 0.5, 1, 2]);
    expect(logTicks(0.001, 100)).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(logTickLabels(logTicks(0.001, 100))).toEqual(["0.001", "0.01", "0.1", "1", "10", "100"]);
    expect(logTickLabels(logTicks(1.25, 1.35))).toEqual(["1.26", "1.28", "1.30", "1.32", "1.34"]);
  });
});
