// Saving the editor's changes against the version of the image's annotations it loaded. Every
// write carries `If-Match` with the version the editor knows (the ETag of the load, then of each
// write it made itself); the server refuses a write based on an older version with 412, so the
// editor never silently overwrites what someone else changed meanwhile.
import { isStaleWrite } from "@/lib/api/errors";
import { shareTime, type AnnotationChanges, type EditorBox, type ServerBox } from "./annotation-diff";

/** An answer with the version it left the image's annotations at (its ETag, e.g. `"7"`). */
export type Versioned<T> = { data: T; etag: string | null };

/** One request per change; each is given the version to send as `If-Match`. */
export type AnnotationWriters<A> = {
  remove: (server: ServerBox, ifMatch: string | null) => Promise<Versioned<unknown>>;
  update: (local: EditorBox, server: ServerBox, timeSpentMs: number, ifMatch: string | null) => Promise<Versioned<A>>;
  create: (local: EditorBox, timeSpentMs: number, ifMatch: string | null) => Promise<Versioned<A>>;
};

/** What the caller learns as each write lands (to keep its copy of the server's boxes right). */
export type WriteEvents<A> = {
  removed?: (server: ServerBox) => void;
  updated?: (server: ServerBox, saved: A) => void;
  created?: (local: EditorBox, saved: A) => void;
};

export type SaveOutcome =
  | { status: "saved"; version: string | null }
  /** Someone else changed the image's boxes since the version sent: reload them. */
  | { status: "stale"; version: string | null; error: unknown }
  /** Anything else (network, validation): what was written before it stays written. */
  | { status: "failed"; version: string | null; error: unknown };

/** The version number in an ETag (`"7"`, `W/"7"`), or null. */
export function versionNumber(etag: string | null | undefined): number | null {
  const match = /(\d+)/.exec(etag ?? "");
  return match ? Number(match[1]) : null;
}

/** The ETag of a version number, as the server writes it. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Send `changes` (removals, then updates, then creations), each with `If-Match` on the version
 * known so far, which advances with every answer's ETag. The time spent since the last save is
 * shared over the boxes created or changed. Stops at the first failure: 412 is "stale".
 */
export async function saveChanges<A>(
  changes: AnnotationChanges,
  version: string | null,
  elapsedMs: number,
  writers: AnnotationWriters<A>,
  events: WriteEvents<A> = {},
): Promise<SaveOutcome> {
  let current = version;
  const advance = (etag: string | null) => {
    if (etag) current = etag;
  };
  const shares = shareTime(elapsedMs, changes.create.length + changes.update.length);
  let share = 0;
  try {
    for (const gone of changes.remove) {
      const { etag } = await writers.remove(gone, current);
      advance(etag);
      events.removed?.(gone);
    }
    for (const { local, server } of changes.update) {
      const { data, etag } = await writers.update(local, server, server.timeSpentMs + (shares[share++] ?? 0), current);
      advance(etag);
      events.updated?.(server, data);
    }
    for (const local of changes.create) {
      const { data, etag } = await writers.create(local, shares[share++] ?? 0, current);
      advance(etag);
      events.created?.(local, data);
    }
  } catch (error) {
    return { status: isStaleWrite(error) ? "stale" : "failed", version: current, error };
  }
  return { status: "saved", version: current };
}

/** What the person is told when their change met someone else's. */
export const STALE_MESSAGE = "Someone else changed this image's boxes; reloaded their version — your last change was not saved.";
