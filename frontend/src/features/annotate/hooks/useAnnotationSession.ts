// The editor's working copy of one image's boxes: undo/redo, saving on the fly (each finished
// gesture is sent to the server a moment later) and the time spent, recorded with the boxes.
import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { EditableBox } from "@/components/box-editor/BoxEditor";
import type { Schemas } from "@/lib/api/client";
import { errorMessage } from "@/lib/api/errors";
import { fromXywh, toXywh, type Size } from "@/lib/geometry";
import { queryKeys } from "@/lib/query-keys";
import { createAnnotation } from "../api/create-annotation";
import { deleteAnnotation } from "../api/delete-annotation";
import { listAnnotations } from "../api/list-annotations";
import { updateAnnotation } from "../api/update-annotation";
import { diffAnnotations, hasChanges, shareTime, type ServerBox } from "../utils/annotation-diff";
import { createHistory, record, redo as redoHistory, undo as undoHistory, type History } from "../utils/history";

export type SaveState = { status: "loading" | "saved" | "saving" | "pending" | "error"; error?: string };

/** Gaps between inputs longer than this count as away, not as annotating. */
const IDLE_MS = 30_000;
const SAVE_DELAY_MS = 400;

type Image = { id: number; width: number; height: number };

const toServer = (a: Schemas["AnnotationOut"]): ServerBox => ({ id: a.id, classId: a.class_id, box: fromXywh(a.box), timeSpentMs: a.time_spent_ms });

export function useAnnotationSession(projectId: number, image: Image | null) {
  const client = useQueryClient();
  const [history, setHistory] = useState<History<EditableBox[]>>(createHistory([]));
  const [save, setSave] = useState<SaveState>({ status: "loading" });
  const [loadError, setLoadError] = useState<unknown>(null);
  const historyRef = useRef(history);
  historyRef.current = history;
  const server = useRef<ServerBox[]>([]);
  const idByKey = useRef(new Map<string, number>());
  const activeMs = useRef(0);
  const lastInput = useRef(Date.now());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const imageRef = useRef<Image | null>(image);
  // The image whose boxes the working copy holds (null while the next image loads).
  const [loadedImageId, setLoadedImageId] = useState<number | null>(null);
  const historyImage = useRef<number | null>(null);
  const [elapsedShown, setElapsedShown] = useState(0);

  const touch = useCallback(() => {
    const now = Date.now();
    activeMs.current += Math.min(now - lastInput.current, IDLE_MS);
    lastInput.current = now;
  }, []);

  /** Send the difference between the working copy and the server's boxes, one request each. */
  const flush = useCallback(async (): Promise<void> => {
    const target = imageRef.current;
    if (!target) return;
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const size: Size = { width: target.width, height: target.height };
    const work = (async () => {
      do {
        again.current = false;
        if (historyImage.current !== target.id) break;
        touch();
        const local = historyRef.current.present.map((b) => ({ ...b, serverId: idByKey.current.get(b.key) ?? null }));
        const changes = diffAnnotations(local, server.current);
        if (!hasChanges(changes)) break;
        setSave({ status: "saving" });
        const shares = shareTime(activeMs.current, changes.create.length + changes.update.length);
        try {
          for (const gone of changes.remove) {
            await deleteAnnotation(projectId, gone.id);
            server.current = server.current.filter((s) => s.id !== gone.id);
            for (const [key, id] of idByKey.current) if (id === gone.id) idByKey.current.delete(key);
          }
          let share = 0;
          for (const { local: box, server: old } of changes.update) {
            const spent = old.timeSpentMs + (shares[share++] ?? 0);
            const saved = await updateAnnotation(projectId, old.id, { class_id: box.classId, box: toXywh(box.box, size), time_spent_ms: spent });
            server.current = server.current.map((s) => (s.id === old.id ? toServer(saved) : s));
          }
          for (const box of changes.create) {
            const saved = await createAnnotation(projectId, target.id, { class_id: box.classId, box: toXywh(box.box, size), time_spent_ms: shares[share++] ?? 0 });
            server.current = [...server.current, toServer(saved)];
            idByKey.current.set(box.key, saved.id);
          }
          activeMs.current = 0;
        } catch (error) {
          setSave({ status: "error", error: `Not saved: ${errorMessage(error)}. Your boxes are kept here; the next change retries.` });
          // The server may have applied part of it: learn its state so the next try is right.
          try {
            server.current = (await listAnnotations(projectId, target.id)).map(toServer);
            const known = new Set(server.current.map((s) => s.id));
            for (const [key, id] of idByKey.current) if (!known.has(id)) idByKey.current.delete(key);
          } catch {
            // still unreachable: keep what we knew
          }
          return;
        }
      } while (again.current);
      setSave({ status: "saved" });
      void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
      void client.invalidateQueries({ queryKey: queryKeys.images(projectId) });
    })();
    running.current = work;
    try {
      await work;
    } finally {
      running.current = null;
    }
  }, [client, projectId, touch]);

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
        const rows = await client.fetchQuery({
          queryKey: queryKeys.imageAnnotations(projectId, image.id),
          queryFn: () => listAnnotations(projectId, image.id),
          staleTime: 0,
        });
        if (cancelled) return;
        server.current = rows.map(toServer);
        idByKey.current = new Map(rows.map((a) => [`a-${a.id}`, a.id]));
        const loaded = createHistory(rows.map((a) => ({ key: `a-${a.id}`, classId: a.class_id, box: fromXywh(a.box) })));
        historyRef.current = loaded;
        historyImage.current = image.id;
        setHistory(loaded);
        setLoadedImageId(image.id);
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

  return {
    boxes: loadedImageId != null && loadedImageId === image?.id ? history.present : [],
    ready: loadedImageId != null && loadedImageId === image?.id,
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
  };
}
