// One prediction per object. A detector scores every class at each place, so one object often
// comes back as several predictions, one per class, with (nearly) the same box. Review shows them
// merged, class-agnostically, by this rule:
//
//   On one image, take the predictions by score, highest first (ties: lower id first). Each one
//   joins the first object whose box (that of its top-scoring prediction) it overlaps at
//   IoU ≥ 0.7, whatever the class; otherwise it starts a new object.
//
// An object shows its top prediction (box, class and score); the other classes it holds are its
// runners-up, each with its best score, highest first, so that the reviewer can pick one instead.
// Accepting an object accepts one class and rejects the rest of the object's predictions;
// rejecting it rejects them all. Pure functions, tested in merge-objects.test.ts.
import { clampBox, fromXywh, iou, type Box, type Size } from "@/lib/geometry";
import type { ReviewPrediction } from "./review-order";

/** Predictions overlapping the top box at least this much (IoU) are the same object. */
export const MERGE_IOU = 0.7;

export type MergedObject<P extends ReviewPrediction> = {
  /** The top prediction's id: stable while the object's predictions stay the same. */
  id: number;
  image_id: number;
  /** The highest-scoring prediction: its box and class are the object's. */
  top: P;
  /** Every prediction of the object, the top one first. */
  members: P[];
  /** The best prediction of each other class, highest score first. */
  runnersUp: P[];
  /** The top prediction's score and uncertainty (so objects sort as predictions do). */
  score: number;
  uncertainty: number;
  box: number[];
  class_id: number;
};

const byScore = (a: ReviewPrediction, b: ReviewPrediction) => b.score - a.score || a.id - b.id;

/** Merge each image's predictions into objects (the rule above); objects of an image in the
 * order of their top score, images in the order they first appear. */
export function mergeObjects<P extends ReviewPrediction>(predictions: readonly P[], minIou = MERGE_IOU): MergedObject<P>[] {
  const byImage = new Map<number, P[]>();
  for (const p of predictions) {
    const list = byImage.get(p.image_id);
    if (list) list.push(p);
    else byImage.set(p.image_id, [p]);
  }
  const objects: MergedObject<P>[] = [];
  for (const list of byImage.values()) {
    const groups: { box: Box; members: P[] }[] = [];
    for (const p of [...list].sort(byScore)) {
      const box = fromXywh(p.box);
      const group = groups.find((g) => iou(g.box, box) >= minIou);
      if (group) group.members.push(p);
      else groups.push({ box, members: [p] });
    }
    for (const { members } of groups) {
      const top = members[0] as P;
      const seen = new Set([top.class_id]);
      const runnersUp = members.filter((m) => !seen.has(m.class_id) && seen.add(m.class_id));
      objects.push({ id: top.id, image_id: top.image_id, top, members, runnersUp, score: top.score, uncertainty: top.uncertainty, box: top.box, class_id: top.class_id });
    }
  }
  return objects;
}

/** The part of a prediction's box that is inside the image, or null when less than a pixel of
 * it is (such a prediction cannot be drawn, nor accepted: the server skips it). */
export function visibleBox(box: readonly number[], image: Size): Box | null {
  const inside = clampBox(fromXywh(box), image);
  return inside.w >= 1 && inside.h >= 1 ? inside : null;
}

/** The ids an action on objects sends: accepting takes each object's top prediction (or the
 * class picked for it) and rejects the rest of the object; rejecting rejects every member. */
export function acceptObjects<P extends ReviewPrediction>(objects: readonly MergedObject<P>[], picked: ReadonlyMap<number, number> = new Map()): { accept_ids: number[]; reject_ids: number[] } {
  const accept_ids: number[] = [];
  const reject_ids: number[] = [];
  for (const object of objects) {
    const chosen = picked.get(object.id) ?? object.top.id;
    for (const m of object.members) (m.id === chosen ? accept_ids : reject_ids).push(m.id);
  }
  return { accept_ids, reject_ids };
}

export function rejectObjects<P extends ReviewPrediction>(objects: readonly MergedObject<P>[]): number[] {
  return objects.flatMap((o) => o.members.map((m) => m.id));
}
