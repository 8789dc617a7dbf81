// Ordering and grouping of predictions for review. The server sorts pages; the page re-sorts and
// groups what it holds so that the score threshold, sort and grouping change instantly.

export type ReviewSort = "uncertainty" | "confidence" | "image";
export type ReviewPrediction = {
  id: number;
  image_id: number;
  class_id: number;
  score: number;
  uncertainty: number;
  box: number[];
};
export type ImageGroup<P extends ReviewPrediction> = {
  imageId: number;
  predictions: P[];
  /** The image's uncertainty: that of its most uncertain detection (as the server computes it). */
  uncertainty: number;
  maxScore: number;
};

const byScore = (a: ReviewPrediction, b: ReviewPrediction) => b.score - a.score || a.id - b.id;

const COMPARE: Record<ReviewSort, (a: ReviewPrediction, b: ReviewPrediction) => number> = {
  uncertainty: (a, b) => b.uncertainty - a.uncertainty || byScore(a, b),
  confidence: byScore,
  image: (a, b) => a.image_id - b.image_id || byScore(a, b),
};

export function sortPredictions<P extends ReviewPrediction>(predictions: readonly P[], sort: ReviewSort): P[] {
  return [...predictions].sort(COMPARE[sort]);
}

export function atOrAbove<P extends ReviewPrediction>(predictions: readonly P[], threshold: number): P[] {
  return predictions.filter((p) => p.score >= threshold);
}

/** Group by image; groups in the chosen order, each group's detections by score. */
export function groupByImage<P extends ReviewPrediction>(predictions: readonly P[], sort: ReviewSort): ImageGroup<P>[] {
  const groups = new Map<number, ImageGroup<P>>();
  for (const p of predictions) {
    const group = groups.get(p.image_id) ?? { imageId: p.image_id, predictions: [], uncertainty: 0, maxScore: 0 };
    group.predictions.push(p);
    group.uncertainty = Math.max(group.uncertainty, p.uncertainty);
    group.maxScore = Math.max(group.maxScore, p.score);
    groups.set(p.image_id, group);
  }
  const ordered = [...groups.values()];
  for (const group of ordered) group.predictions.sort(byScore);
  const compare: Record<ReviewSort, (a: ImageGroup<P>, b: ImageGroup<P>) => number> = {
    uncertainty: (a, b) => b.uncertainty - a.uncertainty || a.imageId - b.imageId,
    confidence: (a, b) => b.maxScore - a.maxScore || a.imageId - b.imageId,
    image: (a, b) => a.imageId - b.imageId,
  };
  return ordered.sort(compare[sort]);
}

/** Binary entropy of a score in bits: 1 at 0.5, 0 at 0 or 1 (docs/contracts.md, Uncertainty). */
export function scoreEntropy(score: number): number {
  if (score <= 0 || score >= 1) return 0;
  return -(score * Math.log2(score) + (1 - score) * Math.log2(1 - score));
}
