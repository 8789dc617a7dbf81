import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { runEach, describeDeletes, otherPool } from "./bulk";

describe("runEach", () => {
  it("goes on past a failure and says which ids failed and why", async () => {
    const seen: number[] = [];
    const outcome = await runEach([1, 2, 3], async (id) => {
      seen.push(id);
      if (id === 2) throw new ApiError(404, "image 2 not found in project 1");
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(outcome).toEqual({ done: [1, 3], failed: [{ id: 2, reason: "image 2 not found in project 1" }] });
    expect(describeDeletes(outcome)).toBe("2 images deleted; 1 not (image 2: image 2 not found in project 1).");
  });
  it("says plainly when all went", async () => {
    expect(describeDeletes(await runEach([5], async () => undefined))).toBe("1 image deleted.");
  });
  it("lists at most three reasons", () => {
    const failed = [1, 2, 3, 4, 5].map((id) => ({ id, reason: "Not found." }));
    expect(describeDeletes({ done: [], failed })).toMatch(/5 not \(image 1: .*image 3: Not found\.; and 2 more\)\.$/);
  });
});

describe("otherPool", () => {
  it("swaps adapt and holdout", () => {
    expect(otherPool("adapt")).toBe("holdout");
    expect(otherPool("holdout")).toBe("adapt");
  });
});
