// The editor's working copy of one image's boxes: undo/redo, saving on the fly (each finished
// gesture is sent to the server a moment later) and the time spent, recorded with the boxes.
import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { EditableBox } from "@/components/box-editor/BoxEditor";
import type { Schemas } from "@/lib/api/client";
import { errorMessage, isStaleWrite } from "@/lib/api/errors";
import { fromXywh, toXywh, type Size } from "@/lib/geometry";
import { notifications } from "@/lib/notifications";
import { queryKeys } from "@/lib/query-keys";
import { setImageState, type ImageState } from "@/features/images/api/set-image-state";
import { createAnnotation } from "../api/create-annotation";
import { deleteAnnotation } from "../api/delete-annotation";
import { listAnnotationsVersioned } from "../api/list-annotations";
import { updateAnnotation } from "../api/update-annotation";
import { diffAnnotations, hasChanges, type ServerBox } from "../utils/annotation-diff";
import { createHistory, record, redo as redoHistory, undo as undoHistory, type History } from "../utils/history";
import { etagOf, saveChanges, STALE_MESSAGE, versionNumber, type AnnotationWriters } from "../utils/versioned-save";

export type SaveState = { status: "loading" | "saved" | "saving" | "pending" | "error"; error?: string };
export type { ImageState };

/** Gaps between inputs longer than this count as away, not as annotating. */
const IDLE_MS = 30_000;
const SAVE_DELAY_MS = 400;

type Image = { id: number; width: number; height: number; state?: ImageState; annotations_version?: number };
/** A state the editor set, shown until the image's record catches up with its version. */
type StateSeen = { imageId: number; state: ImageState; version: number };

const toServer = (a: Schemas["AnnotationOut"]): ServerBox => ({ id: a.id, classId: a.class_id, box: fromXywh(a.box), timeSpentMs: a.time_spent_ms });

export function useAnnotationSession(projectId: number, image: Image | null) {
  const client = useQueryClient();
  const [history, setHistory] = useState<History<EditableBox[]>>(createHistory([]));
  const [save, setSave] = useState<SaveState>({ status: "loading" });
  const [loadError, setLoadError] = useState<unknown>(null);
  const historyRef = useRef(history);
  historyRef.current = history;
  const server = useRef<ServerBox[]>([]);
  // The version (ETag) of the image's annotations the working copy is based on: sent as
  // If-Match with every write, advanced by each write's answer.
  const version = useRef<string | null>(null);
  const idByKey = useRef(new Map<string, number>());
  const activeMs = useRef(0);
  const lastInput = useRef(Date.now());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const running = useRef<Promise<boolean> | null>(null);
  const again = useRef(false);
  const imageRef = useRef<Image | null>(image);
  // The image whose boxes the working copy holds (null while the next image loads).
  const [loadedImageId, setLoadedImageId] = useState<number | null>(null);
  const historyImage = useRef<number | null>(null);
  const [elapsedShown, setElapsedShown] = useState(0);
  const [stateSeen, setStateSeen] = useState<StateSeen | null>(null);
  const [stateBusy, setStateBusy] = useState(false);

  const touch = useCallback(() => {
    const now = Date.now();
    activeMs.current += Math.min(now - lastInput.current, IDLE_MS);
    lastInput.current = now;
  }, []);

  const refreshLists = useCallback(() => {
    void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
    void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
  }, [client, projectId]);

  /** Take the server's boxes and version as the working copy (a fresh undo history). */
  const adopt = useCallback(
    (imageId: number, rows: Schemas["AnnotationOut"][], etag: string | null) => {
      server.current = rows.map(toServer);
      version.current = etag;
      idByKey.current = new Map(rows.map((a) => [`a-${a.id}`, a.id]));
      const loaded = createHistory(rows.map((a) => ({ key: `a-${a.id}`, classId: a.class_id, box: fromXywh(a.box) })));
      historyRef.current = loaded;
      historyImage.current = imageId;
      setHistory(loaded);
      setLoadedImageId(imageId);
      client.setQueryData(queryKeys.imageAnnotations(projectId, imageId), rows);
    },
    [client, projectId],
  );

  /** Someone else wrote first (412): reload their version and say plainly that ours was lost. */
  const reloadAfterConflict = useCallback(
    async (target: Image) => {
      clearTimeout(timer.current);
      again.current = false;
      notifications.push("warning", STALE_MESSAGE);
      try {
        const { data, etag } = await listAnnotationsVersioned(projectId, target.id);
        if (imageRef.current?.id !== target.id) return;
        adopt(target.id, data, etag);
        activeMs.current = 0;
        setSave({ status: "saved" });
      } catch (error) {
        setSave({ status: "error", error: `Someone else changed this image's boxes, and reloading them failed: ${errorMessage(error)}. Reload the page.` });
      }
      setStateSeen(null);
      refreshLists();
    },
    [adopt, projectId, refreshLists],
  );

  /** Send the difference between the working copy and the server's boxes, one request each,
   * each based on the version known so far. Resolves true when everything is saved. */
  const flush = useCallback(async (): Promise<boolean> => {
    const target = imageRef.current;
    if (!target) return true;
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const size: Size = { width: target.width, height: target.height };
    const writers: AnnotationWriters<Schemas["AnnotationOut"]> = {
      remove: (gone, ifMatch) => deleteAnnotation(projectId, gone.id, ifMatch),
      update: (box, old, spent, ifMatch) => updateAnnotation(projectId, old.id, { class_id: box.classId, box: toXywh(box.box, size), time_spent_ms: spent }, ifMatch),
      create: (box, spent, ifMatch) => createAnnotation(projectId, target.id, { class_id: box.classId, box: toXywh(box.box, size), time_spent_ms: spent }, ifMatch),
    };
    const work = (async (): Promise<boolean> => {
      let wrote = false;
      do {
        again.current = false;
        if (historyImage.current !== target.id) break;
        touch();
        const local = historyRef.current.present.map((b) => ({ ...b, serverId: idByKey.current.get(b.key) ?? null }));
        const changes = diffAnnotations(local, server.current);
        if (!hasChanges(changes)) break;
        setSave({ status: "saving" });
        const outcome = await saveChanges(changes, version.current, activeMs.current, writers, {
          removed: (gone) => {
            server.current = server.current.filter((s) => s.id !== gone.id);
            for (const [key, id] of idByKey.current) if (id === gone.id) idByKey.current.delete(key);
          },
          updated: (old, saved) => {
            server.current = server.current.map((s) => (s.id === old.id ? toServer(saved) : s));
          },
          created: (box, saved) => {
            server.current = [...server.current, toServer(saved)];
            idByKey.current.set(box.key, saved.id);
          },
        });
        version.current = outcome.version;
        wrote = true;
        if (outcome.status === "stale") {
          await reloadAfterConflict(target);
          return false;
        }
        if (outcome.status === "failed") {
          // What was written before the failure is known (server.current and the version
          // advanced with it); the next try sends the rest, still guarded by If-Match.
          setSave({ status: "error", error: `Not saved: ${errorMessage(outcome.error)}. Your boxes are kept here; the next change retries.` });
          refreshLists();
          return false;
        }
        activeMs.current = 0;
      } while (again.current);
      setSave({ status: "saved" });
      if (wrote) refreshLists();
      return true;
    })();
    running.current = work;
    try {
      return await work;
    } finally {
      running.current = null;
    }
  }, [projectId, refreshLists, reloadAfterConflict, touch]);

  const scheduleSave = useCallback(() => {
    clearTimeout(timer.current);
    setSave({ status: "pending" });
    timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
  }, [flush]);

  // Load the boxes of a new image (saving what is pending on the previous one first).
  useEffect(() => {
    if (!image) return;
    let cancelled = false;
    imageRef.current = image;
    setSave({ status: "loading" });
    setLoadError(null);
    activeMs.current = 0;
    lastInput.current = Date.now();
    (async () => {
      if (running.current) await running.current;
      try {
        const { data, etag } = await listAnnotationsVersioned(projectId, image.id);
        if (cancelled) return;
        adopt(image.id, data, etag);
        setSave({ status: "saved" });
      } catch (error) {
        if (!cancelled) setLoadError(error);
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(timer.current);
      // Leaving the image: send what is not saved yet.
      void flush();
      setLoadedImageId(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the image changes
  }, [projectId, image?.id]);

  useEffect(() => {
    // Shown in the toolbar: the time recorded on this image plus what is not saved yet.
    const tick = setInterval(() => {
      const recorded = server.current.reduce((sum, s) => sum + s.timeSpentMs, 0);
      setElapsedShown(recorded + activeMs.current + Math.min(Date.now() - lastInput.current, IDLE_MS));
    }, 1000);
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (save.status === "pending" || save.status === "saving") event.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      clearInterval(tick);
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, [save.status]);

  const commit = useCallback(
    (next: EditableBox[]) => {
      touch();
      setHistory((h) => record(h, next));
      scheduleSave();
    },
    [scheduleSave, touch],
  );
  const undo = useCallback(() => {
    touch();
    setHistory((h) => undoHistory(h));
    scheduleSave();
  }, [scheduleSave, touch]);
  const redo = useCallback(() => {
    touch();
    setHistory((h) => redoHistory(h));
    scheduleSave();
  }, [scheduleSave, touch]);

  /** Set the image's state (complete: every object is boxed, zero boxes is a negative image),
   * after saving what is pending, based on the version of the boxes the person sees. */
  const setState = useCallback(
    async (state: ImageState) => {
      const target = imageRef.current;
      if (!target || historyImage.current !== target.id) return;
      clearTimeout(timer.current);
      setStateBusy(true);
      try {
        if (!(await flush())) return;
        if (imageRef.current?.id !== target.id) return;
        try {
          const updated = await setImageState(projectId, target.id, state, version.current);
          version.current = etagOf(updated.annotations_version);
          setStateSeen({ imageId: target.id, state: updated.state, version: updated.annotations_version });
          refreshLists();
        } catch (error) {
          if (isStaleWrite(error)) await reloadAfterConflict(target);
          else notifications.push("error", `The image's state was not changed: ${errorMessage(error)}`);
        }
      } finally {
        setStateBusy(false);
      }
    },
    [flush, projectId, refreshLists, reloadAfterConflict],
  );

  const ready = loadedImageId != null && loadedImageId === image?.id;
  // The state: the one the editor set, until the image's record is at least that new.
  const seen = stateSeen && image && stateSeen.imageId === image.id && (image.annotations_version ?? -1) < stateSeen.version ? stateSeen : null;
  const imageState: ImageState | undefined = seen?.state ?? image?.state;

  return {
    boxes: ready ? history.present : [],
    ready,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    commit,
    undo,
    redo,
    touch,
    save,
    loadError,
    retry: flush,
    elapsedMs: elapsedShown,
    imageState,
    setState,
    stateBusy,
    /** The version of the boxes shown (the number in their ETag). */
    version: versionNumber(version.current),
  };
}
