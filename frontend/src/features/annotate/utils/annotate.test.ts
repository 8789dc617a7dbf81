import { describe, expect, it } from "vitest";
import { diffAnnotations, hasChanges, shareTime, type EditorBox, type ServerBox } from "./annotation-diff";
import { createHistory, record, redo, undo } from "./history";

const box = (x: number) => ({ x, y: 0, w: 10, h: 10 });

describe("undo and redo", () => {
  it("walks back and forth through recorded states", () => {
    let h = createHistory<number[]>([]);
    h = record(h, [1]);
    h = record(h, [1, 2]);
    h = undo(h);
    expect(h.present).toEqual([1]);
    h = redo(h);
    expect(h.present).toEqual([1, 2]);
    h = undo(undo(h));
    expect(h.present).toEqual([]);
    expect(undo(h)).toBe(h);
  });

  it("forgets the redo branch after a new change", () => {
    let h = record(record(createHistory<number[]>([]), [1]), [2]);
    h = record(undo(h), [3]);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });
});

describe("saving the editor's boxes", () => {
  const server: ServerBox[] = [
    { id: 1, classId: 7, box: box(0), timeSpentMs: 100 },
    { id: 2, classId: 7, box: box(20), timeSpentMs: 100 },
    { id: 3, classId: 8, box: box(40), timeSpentMs: 0 },
  ];

  it("creates new boxes, updates changed ones, removes deleted ones and leaves the rest", () => {
    const local: EditorBox[] = [
      { key: "a", serverId: 1, classId: 7, box: box(0) },
      { key: "b", serverId: 2, classId: 8, box: box(20) },
      { key: "c", serverId: null, classId: 7, box: box(60) },
    ];
    const changes = diffAnnotations(local, server);
    expect(changes.create.map((c) => c.key)).toEqual(["c"]);
    expect(changes.update.map((u) => u.server.id)).toEqual([2]);
    expect(changes.remove.map((r) => r.id)).toEqual([3]);
  });

  it("sees no change when the boxes match up to rounding", () => {
    const local = server.map((s) => ({ key: String(s.id), serverId: s.id, classId: s.classId, box: { ...s.box, x: s.box.x + 0.001 } }));
    expect(hasChanges(diffAnnotations(local, server))).toBe(false);
  });

  it("shares the time spent so that the parts add up", () => {
    expect(shareTime(1000, 3)).toEqual([334, 333, 333]);
    expect(shareTime(1000, 3).reduce((a, b) => a + b)).toBe(1000);
    expect(shareTime(5, 0)).toEqual([]);
  });
});
