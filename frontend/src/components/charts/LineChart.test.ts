import { describe, expect, it } from "vitest";
import { ticks } from "./LineChart";

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
