import { describe, expect, it } from "vitest";
import { atOrAbove, groupByImage, scoreEntropy, sortPredictions, type ReviewPrediction } from "./review-order";

const p = (id: number, image_id: number, score: number): ReviewPrediction => ({
  id,
  image_id,
  class_id: 1,
  score,
  uncertainty: scoreEntropy(score),
  box: [0, 0, 1, 1],
});

const predictions = [p(1, 10, 0.95), p(2, 11, 0.5), p(3, 10, 0.6), p(4, 12, 0.2), p(5, 11, 0.99)];

describe("sorting predictions", () => {
  it("puts the most uncertain first by default order, ties by score", () => {
    expect(sortPredictions(predictions, "uncertainty").map((x) => x.id)).toEqual([2, 3, 4, 1, 5]);
  });

  it("sorts by confidence, highest first", () => {
    expect(sortPredictions(predictions, "confidence").map((x) => x.id)).toEqual([5, 1, 3, 2, 4]);
  });

  it("sorts by image id, then by score within an image", () => {
    expect(sortPredictions(predictions, "image").map((x) => x.id)).toEqual([1, 3, 5, 2, 4]);
  });

  it("does not change its input", () => {
    const copy = [...predictions];
    sortPredictions(predictions, "confidence");
    expect(predictions).toEqual(copy);
  });

  it("breaks exact ties by id so the order is stable across reloads", () => {
    const tied = [p(9, 1, 0.5), p(3, 2, 0.5), p(5, 3, 0.5)];
    expect(sortPredictions(tied, "uncertainty").map((x) => x.id)).toEqual([3, 5, 9]);
  });
});

describe("grouping by image", () => {
  it("orders images by their most uncertain detection", () => {
    const groups = groupByImage(predictions, "uncertainty");
    expect(groups.map((g) => g.imageId)).toEqual([11, 10, 12]);
    expect(groups[0]?.uncertainty).toBe(1);
  });

  it("orders images by their best score, or by id", () => {
    expect(groupByImage(predictions, "confidence").map((g) => g.imageId)).toEqual([11, 10, 12]);
    expect(groupByImage(predictions, "image").map((g) => g.imageId)).toEqual([10, 11, 12]);
  });

  it("keeps each image's detections by score", () => {
    const group = groupByImage(predictions, "image")[0];
    expect(group?.predictions.map((x) => x.id)).toEqual([1, 3]);
    expect(group?.maxScore).toBe(0.95);
  });
});

describe("the score threshold", () => {
  it("keeps predictions at or above it", () => {
    expect(atOrAbove(predictions, 0.6).map((x) => x.id)).toEqual([1, 3, 5]);
  });

  it("drops images with nothing left from the grouping", () => {
    expect(groupByImage(atOrAbove(predictions, 0.9), "uncertainty").map((g) => g.imageId)).toEqual([10, 11]);
  });
});

describe("uncertainty", () => {
  it("is the binary entropy of the score", () => {
    expect(scoreEntropy(0.5)).toBe(1);
    expect(scoreEntropy(1)).toBe(0);
    expect(scoreEntropy(0.9)).toBeCloseTo(0.469, 3);
  });
});
