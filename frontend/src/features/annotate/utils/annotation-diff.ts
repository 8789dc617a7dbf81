// What the editor must send to make the server's boxes equal its own. Boxes the person did not
// touch are left alone, so they keep their source (e.g. "accepted_prediction"), author and time.
import type { Box } from "@/lib/geometry";

export type EditorBox = { key: string; serverId: number | null; classId: number; box: Box };
export type ServerBox = { id: number; classId: number; box: Box; timeSpentMs: number };

export type AnnotationChanges = {
  create: EditorBox[];
  update: { local: EditorBox; server: ServerBox }[];
  remove: ServerBox[];
};

const EPSILON = 0.005;
const sameBox = (a: Box, b: Box) =>
  Math.abs(a.x - b.x) < EPSILON && Math.abs(a.y - b.y) < EPSILON && Math.abs(a.w - b.w) < EPSILON && Math.abs(a.h - b.h) < EPSILON;

export function diffAnnotations(local: readonly EditorBox[], server: readonly ServerBox[]): AnnotationChanges {
  const byId = new Map(server.map((s) => [s.id, s]));
  const kept = new Set<number>();
  const changes: AnnotationChanges = { create: [], update: [], remove: [] };
  for (const box of local) {
    const match = box.serverId != null ? byId.get(box.serverId) : undefined;
    if (!match) {
      changes.create.push(box);
      continue;
    }
    kept.add(match.id);
    if (match.classId !== box.classId || !sameBox(match.box, box.box)) changes.update.push({ local: box, server: match });
  }
  changes.remove = server.filter((s) => !kept.has(s.id));
  return changes;
}

export function hasChanges(changes: AnnotationChanges): boolean {
  return changes.create.length + changes.update.length + changes.remove.length > 0;
}

/** Split the time spent since the last save over the boxes this save creates or changes, so
 * the sum over an image's annotations is the time the person spent annotating it. */
export function shareTime(elapsedMs: number, parts: number): number[] {
  if (parts <= 0) return [];
  const each = Math.floor(elapsedMs / parts);
  return Array.from({ length: parts }, (_, i) => (i === 0 ? elapsedMs - each * (parts - 1) : each));
}
