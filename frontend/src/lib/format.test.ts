import { describe, expect, it } from "vitest";
import { formatChange, formatSeconds, plural } from "./format";

describe("formatting", () => {
  it("signs differences and never shows a negative zero", () => {
    expect(formatChange(0.5, 0.25)).toBe("+0.250");
    expect(formatChange(0.25, 0.5)).toBe("−0.250");
    expect(formatChange(0.2, 0.20004)).toBe("±0.000");
    expect(formatChange(null, 1)).toBe("–");
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
