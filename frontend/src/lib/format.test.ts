import { describe, expect, it } from "vitest";
import { formatChange, formatMetric, formatSeconds, formatTotal, plural, trainedOn } from "./format";

describe("formatting", () => {
  it("writes a capped total with a plus", () => {
    expect(formatTotal(37)).toBe("37");
    expect(formatTotal(10000, true)).toBe("10000");
    expect(formatTotal(10000, false)).toBe("10,000+");
  });

  it("signs differences and never shows a negative zero", () => {
    expect(formatChange(0.5, 0.25)).toBe("+0.250");
    expect(formatChange(0.25, 0.5)).toBe("−0.250");
    expect(formatChange(0.2, 0.20004)).toBe("±0.000");
    expect(formatChange(null, 1)).toBe("—");
  });

  it("shows a metric that does not apply (null) as a dash, never as zero", () => {
    expect(formatMetric(null)).toBe("—");
    expect(formatMetric(undefined)).toBe("—");
    expect(formatMetric(Number.NaN)).toBe("—");
    expect(formatMetric(0)).toBe("0.000");
    expect(formatMetric(0.51234)).toBe("0.512");
  });

  it("writes durations a person reads at a glance", () => {
    expect(formatSeconds(0.25)).toBe("250 ms");
    expect(formatSeconds(12.34)).toBe("12.3 s");
    expect(formatSeconds(125)).toBe("2 min 5 s");
    expect(formatSeconds(null)).toBe("–");
  });

  it("pluralises", () => {
    expect(plural(1, "image")).toBe("1 image");
    expect(plural(2, "class", "classes")).toBe("2 classes");
  });
});

describe("trainedOn", () => {
  it("says a class-agnostic base model learns the project's classes instead of '0 classes ()'", () => {
    const text = trainedOn([]);
    expect(text).not.toMatch(/0 classes|\(\)/);
    expect(text).toContain("learns this project's classes");
  });

  it("lists a few classes and cuts a long list", () => {
    expect(trainedOn(["a"])).toBe("trained on 1 class (a).");
    const many = Array.from({ length: 14 }, (_, i) => `c${i}`);
    expect(trainedOn(many)).toMatch(/^trained on 14 classes \(c0, .*c11…\)\.$/);
  });
});
