import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { diffAnnotations, type EditorBox, type ServerBox } from "./annotation-diff";
import { etagOf, saveChanges, versionNumber, type AnnotationWriters } from "./versioned-save";

const box = (x: number) => ({ x, y: 0, w: 10, h: 10 });
type Saved = { id: number };

/** A server that keeps a version, answers each write with the next ETag, and refuses (412)
 * writes whose If-Match is not its version, as the MetaLoop API does. */
function fakeServer(start: number) {
  let version = start;
  let nextId = 100;
  const sent: { op: string; ifMatch: string | null }[] = [];
  const write = <T,>(op: string, ifMatch: string | null, data: T) => {
    sent.push({ op, ifMatch });
    if (ifMatch !== null && ifMatch !== etagOf(version)) {
      return Promise.reject(new ApiError(412, "image 1's annotations changed since you loaded them"));
    }
    version += 1;
    return Promise.resolve({ data, etag: etagOf(version) });
  };
  const writers: AnnotationWriters<Saved> = {
    remove: (gone, ifMatch) => write(`remove ${gone.id}`, ifMatch, null),
    update: (_local, old, _spent, ifMatch) => write(`update ${old.id}`, ifMatch, { id: old.id }),
    create: (local, _spent, ifMatch) => write(`create ${local.key}`, ifMatch, { id: nextId++ }),
  };
  return {
    writers,
    sent,
    /** Someone else writes (another tab, a REST client, an accepted prediction). */
    otherWrite: () => (version += 1),
    version: () => version,
  };
}

const server: ServerBox[] = [
  { id: 1, classId: 7, box: box(0), timeSpentMs: 100 },
  { id: 2, classId: 7, box: box(20), timeSpentMs: 0 },
];
const local: EditorBox[] = [
  { key: "a", serverId: 1, classId: 8, box: box(0) }, // class changed
  { key: "n", serverId: null, classId: 7, box: box(60) }, // drawn
]; // box 2 deleted

describe("saving with the version the editor loaded", () => {
  it("sends If-Match with the loaded version, then with each write's new version", async () => {
    const fake = fakeServer(7);
    const created: string[] = [];
    const outcome = await saveChanges(diffAnnotations(local, server), etagOf(7), 900, fake.writers, { created: (b) => created.push(b.key) });
    expect(fake.sent).toEqual([
      { op: "remove 2", ifMatch: '"7"' },
      { op: "update 1", ifMatch: '"8"' },
      { op: "create n", ifMatch: '"9"' },
    ]);
    expect(outcome).toEqual({ status: "saved", version: '"10"' });
    expect(created).toEqual(["n"]);
    expect(versionNumber(outcome.version)).toBe(fake.version());
  });

  it("stops at a 412 (someone else changed the boxes) and reports it as stale, writing nothing after it", async () => {
    const fake = fakeServer(7);
    fake.otherWrite(); // the server is at 8; the editor still has 7
    const outcome = await saveChanges(diffAnnotations(local, server), etagOf(7), 0, fake.writers);
    expect(outcome.status).toBe("stale");
    expect(fake.sent).toEqual([{ op: "remove 2", ifMatch: '"7"' }]);
    expect(fake.version()).toBe(8); // nothing of ours landed
  });

  it("reports stale in the middle of a save, keeping the version of what did land", async () => {
    const fake = fakeServer(3);
    const removed: number[] = [];
    const writers: AnnotationWriters<Saved> = {
      ...fake.writers,
      remove: async (gone, ifMatch) => {
        const answer = await fake.writers.remove(gone, ifMatch);
        fake.otherWrite(); // someone writes between our two requests
        return answer;
      },
    };
    const outcome = await saveChanges(diffAnnotations(local, server), etagOf(3), 0, writers, { removed: (g) => removed.push(g.id) });
    expect(outcome).toMatchObject({ status: "stale", version: '"4"' });
    expect(removed).toEqual([2]);
  });

  it("tells other failures apart from a stale version", async () => {
    const fake = fakeServer(1);
    const writers: AnnotationWriters<Saved> = { ...fake.writers, remove: () => Promise.reject(new TypeError("network error")) };
    const outcome = await saveChanges(diffAnnotations(local, server), etagOf(1), 0, writers);
    expect(outcome.status).toBe("failed");
    expect(outcome.version).toBe('"1"');
  });

  it("shares the time spent over the boxes it creates or changes, on top of what they had", async () => {
    const fake = fakeServer(1);
    const spent: number[] = [];
    const writers: AnnotationWriters<Saved> = {
      ...fake.writers,
      update: (l, o, ms, ifMatch) => (spent.push(ms), fake.writers.update(l, o, ms, ifMatch)),
      create: (l, ms, ifMatch) => (spent.push(ms), fake.writers.create(l, ms, ifMatch)),
    };
    await saveChanges(diffAnnotations(local, server), etagOf(1), 1000, writers);
    expect(spent).toEqual([100 + 500, 500]);
  });

  it("reads the version number of an ETag", () => {
    expect(versionNumber('"12"')).toBe(12);
    expect(versionNumber('W/"3"')).toBe(3);
    expect(versionNumber(null)).toBeNull();
  });
});
