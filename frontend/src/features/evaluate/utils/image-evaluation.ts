// Drawing one holdout image's evaluation: its detections coloured by match (true positive,
// false positive) and the ground truth no detection matched (false negatives, dashed).
import type { DrawnBox } from "@/components/AnnotatedImage";
import { fromXywh } from "@/lib/geometry";

export const MATCH_COLORS = { tp: "#12b76a", fp: "#f04438", fn: "#f79009" } as const;

export type EvaluatedBox = { class_id: number; box: number[]; score: number; match?: "tp" | "fp" | null };
export type MissedBox = { class_id: number; box: number[] };
export type ImageEvaluation = { tp: number; fp: number; fn: number; detections: EvaluatedBox[]; missed: MissedBox[] };

/** Boxes to draw: detections scoring at least `minScore` (highest last, so on top), coloured
 * tp/fp, and every missed ground-truth box, dashed. */
export function evaluationBoxes(image: ImageEvaluation, className: (classId: number) => string, minScore = 0): DrawnBox[] {
  const detections = image.detections
    .map((d, index) => ({ d, index }))
    .filter(({ d }) => d.score >= minScore)
    .sort((a, b) => a.d.score - b.d.score)
    .map(({ d, index }): DrawnBox => {
      const match = d.match === "tp" ? "tp" : "fp";
      return { key: `d${index}`, box: fromXywh(d.box), color: MATCH_COLORS[match], label: `${match.toUpperCase()} ${className(d.class_id)} ${d.score.toFixed(2)}` };
    });
  const missed = image.missed.map((m, index): DrawnBox => ({ key: `m${index}`, box: fromXywh(m.box), color: MATCH_COLORS.fn, dashed: true, label: `FN ${className(m.class_id)}` }));
  return [...missed, ...detections];
}

/** Errors of an image (false positives and false negatives), to order and summarise. */
export const errorsOf = (image: { fp: number; fn: number }) => image.fp + image.fn;
