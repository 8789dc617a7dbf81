import { describe, expect, it } from "vitest";
import { acceptObjects, MERGE_IOU, mergeObjects, rejectObjects, visibleBox } from "./merge-objects";

let nextId = 1;
const p = (image_id: number, class_id: number, score: number, box: number[]) => ({ id: nextId++, image_id, class_id, score, uncertainty: 1 - score, box });

describe("mergeObjects (class-agnostic, IoU ≥ 0.7 with the top box)", () => {
  it("merges one object's per-class predictions into one, the top class first, runners-up by score", () => {
    const f = p(1, 6, 0.8, [10, 10, 20, 30]);
    const e = p(1, 5, 0.45, [11, 10, 20, 30]);
    const b = p(1, 2, 0.6, [10, 11, 19, 30]);
    const objects = mergeObjects([e, f, b]);
    expect(objects).toHaveLength(1);
    expect(objects[0]?.top).toBe(f);
    expect(objects[0]?.class_id).toBe(6);
    expect(objects[0]?.runnersUp.map((r) => [r.class_id, r.score])).toEqual([[2, 0.6], [5, 0.45]]);
    expect(objects[0]?.members.map((m) => m.id)).toEqual([f.id, b.id, e.id]);
  });

  it("keeps apart boxes that overlap less than the rule's IoU, even of the same class", () => {
    const left = p(1, 1, 0.9, [0, 0, 10, 10]);
    const shifted = p(1, 1, 0.7, [3, 0, 10, 10]); // IoU 7/13 ≈ 0.54
    expect(MERGE_IOU).toBe(0.7);
    expect(mergeObjects([left, shifted])).toHaveLength(2);
    const close = p(1, 2, 0.5, [1, 0, 10, 10]); // IoU 9/11 ≈ 0.82 with the top box
    const objects = mergeObjects([left, shifted, close]);
    expect(objects.map((o) => o.members.length)).toEqual([2, 1]);
  });

  it("compares with the object's top box, not with every member (no chaining)", () => {
    const a = p(1, 1, 0.9, [0, 0, 10, 10]);
    const b = p(1, 2, 0.8, [2, 0, 10, 10]); // IoU with a: 8/12 ≈ 0.67, its own object
    const c = p(1, 3, 0.7, [1, 0, 10, 10]); // IoU with a 0.82: joins a (the first that fits)
    const objects = mergeObjects([a, b, c]);
    expect(objects.map((o) => o.members.map((m) => m.id))).toEqual([[a.id, c.id], [b.id]]);
  });

  it("never merges across images, and a class seen twice in an object is one runner-up", () => {
    const one = p(1, 1, 0.9, [0, 0, 10, 10]);
    const other = p(2, 2, 0.8, [0, 0, 10, 10]);
    const again = p(1, 2, 0.5, [0, 0, 10, 10]);
    const againLower = p(1, 2, 0.3, [0, 1, 10, 10]);
    const objects = mergeObjects([one, other, again, againLower]);
    expect(objects.map((o) => o.image_id)).toEqual([1, 2]);
    expect(objects[0]?.runnersUp.map((r) => r.id)).toEqual([again.id]);
    expect(objects[0]?.members).toHaveLength(3);
  });

  it("accepting takes the top (or the picked class) and rejects the rest; rejecting takes all", () => {
    const f = p(1, 6, 0.8, [10, 10, 20, 30]);
    const e = p(1, 5, 0.45, [10, 10, 20, 30]);
    const objects = mergeObjects([f, e]);
    expect(acceptObjects(objects)).toEqual({ accept_ids: [f.id], reject_ids: [e.id] });
    expect(acceptObjects(objects, new Map([[f.id, e.id]]))).toEqual({ accept_ids: [e.id], reject_ids: [f.id] });
    expect(rejectObjects(objects).sort()).toEqual([f.id, e.id].sort());
  });

  it("a box is visible only with at least a pixel inside the image", () => {
    expect(visibleBox([60, 40, 10, 10], { width: 64, height: 48 })).toEqual({ x: 60, y: 40, w: 4, h: 8 });
    expect(visibleBox([70, 10, 10, 10], { width: 64, height: 48 })).toBeNull();
    expect(visibleBox([10, 10, 0.2, 10], { width: 64, height: 48 })).toBeNull();
  });
});
