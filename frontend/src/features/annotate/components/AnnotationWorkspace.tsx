import { useEffect, useMemo, useState } from "react";
import { BoxEditor, type EditableBox, type EditorTool } from "@/components/box-editor/BoxEditor";
import { ErrorMessage } from "@/components/ErrorMessage";
import { ImageStateBadge } from "@/components/ImageStateBadge";
import type { Schemas } from "@/lib/api/client";
import { useFileUrl } from "@/lib/tickets";
import { formatSeconds } from "@/lib/format";
import { fromXywh } from "@/lib/geometry";
import { keyIsFor } from "@/lib/keys";
import { useRoleGate } from "@/lib/roles";
import { useShortcuts } from "@/lib/shortcuts";
import { useImagePredictions } from "@/features/review/api/image-predictions";
import { useAnnotationSession, type SaveState } from "../hooks/useAnnotationSession";
import { annotateShortcuts } from "../utils/shortcuts";

type Props = {
  projectId: number;
  image: Schemas["ImageOut"];
  classes: Schemas["LabelClassOut"][];
  position: string;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
  onSetPool: (pool: "adapt" | "holdout") => void;
};

const SAVE_TEXT: Record<SaveState["status"], string> = {
  loading: "Loading…",
  saved: "All changes saved",
  pending: "Unsaved changes…",
  saving: "Saving…",
  error: "Not saved",
};

/** The annotation editor for one image: boxes, classes on number keys, undo/redo, previous and
 * next image on the arrow keys, saved on the fly with the time spent; the image's state (D marks
 * it complete: every object is boxed, or none is there). Read-only for a role that may not
 * annotate (a viewer): no box tool, no edits, the reason shown. The keys work page-wide (no
 * click on the canvas first) and are listed in the `?` overlay. */
export function AnnotationWorkspace({ projectId, image, classes, position, onPrevious, onNext, onSetPool }: Props) {
  const fileUrl = useFileUrl(projectId);
  const session = useAnnotationSession(projectId, image);
  const editGate = useRoleGate("annotate");
  const canEdit = editGate.allowed;
  const [selected, setSelected] = useState<string | null>(null);
  const [activeClassId, setActiveClassId] = useState<number | null>(classes[0]?.id ?? null);
  const [tool, setTool] = useState<EditorTool>("draw");
  const [showPredictions, setShowPredictions] = useState(false);
  const predictions = useImagePredictions(projectId, image.id, showPredictions && !!image.has_predictions);
  const classById = useMemo(() => new Map(classes.map((c) => [c.id, c])), [classes]);

  useEffect(() => setSelected(null), [image.id]);
  useEffect(() => {
    if (activeClassId == null || !classById.has(activeClassId)) setActiveClassId(classes[0]?.id ?? null);
  }, [activeClassId, classById, classes]);

  const { boxes, touch, imageState, setState } = session;
  // A viewer changes nothing: these are the only ways to write.
  const commit = canEdit ? session.commit : () => {};
  const undo = canEdit ? session.undo : () => {};
  const redo = canEdit ? session.redo : () => {};
  const complete = imageState === "complete";
  const markComplete = () => {
    if (canEdit && session.ready && !session.stateBusy && !complete) void setState("complete");
  };
  useShortcuts(annotateShortcuts({ canEdit }));
  // Back from complete: in progress while it has boxes, else unlabelled (the server refuses
  // "in progress" with no box).
  const reopen = () => void setState(boxes.length > 0 ? "in_progress" : "unlabelled");
  const removeSelected = () => {
    if (!selected) return;
    commit(boxes.filter((b) => b.key !== selected));
    setSelected(null);
  };
  const setClassOf = (key: string, classId: number) => commit(boxes.map((b) => (b.key === key ? { ...b, classId } : b)));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!keyIsFor(null, event)) return;
      touch();
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key.toLowerCase() === "z") {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (mod && event.key.toLowerCase() === "y") {
        event.preventDefault();
        redo();
      } else if (mod || event.altKey) {
        return;
      } else if (!canEdit && event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Escape") {
        return;
      } else if (/^[1-9]$/.test(event.key)) {
        const chosen = classes[Number(event.key) - 1];
        if (!chosen) return;
        setActiveClassId(chosen.id);
        if (selected) setClassOf(selected, chosen.id);
      } else if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        removeSelected();
      } else if (event.key === "Escape") {
        setSelected(null);
      } else if (event.key === "ArrowLeft" && !event.shiftKey && onPrevious) {
        event.preventDefault();
        onPrevious();
      } else if (event.key === "ArrowRight" && !event.shiftKey && onNext) {
        event.preventDefault();
        onNext();
      } else if (event.key === "b") setTool("draw");
      else if (event.key === "h") setTool("pan");
      else if (event.key === "d" || event.key === "D") {
        event.preventDefault();
        markComplete();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const overlays = (showPredictions ? (predictions.data ?? []) : [])
    .filter((p) => p.status === "pending")
    .map((p) => ({ key: `p-${p.id}`, box: fromXywh(p.box), color: classById.get(p.class_id)?.color ?? "#888", label: `${classById.get(p.class_id)?.name ?? "?"} ${p.score.toFixed(2)}`, dashed: true }));

  return (
    <div className="workspace" onPointerDown={touch}>
      <div className="toolbar" role="toolbar" aria-label="Annotation tools">
        {canEdit ? (
          <>
            <div role="radiogroup" aria-label="Class for new boxes (number keys)" className="class-picker">
              {classes.map((c, index) => (
                <button key={c.id} type="button" role="radio" aria-checked={c.id === activeClassId} className={c.id === activeClassId ? "class-button class-button--active" : "class-button"} style={{ borderColor: c.color }} onClick={() => { setActiveClassId(c.id); if (selected) setClassOf(selected, c.id); }} title={index < 9 ? `Key ${index + 1}` : undefined}>
                  <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
                  {index < 9 && <kbd>{index + 1}</kbd>} {c.name}
                </button>
              ))}
              {classes.length === 0 && <span className="muted">This project has no class yet.</span>}
            </div>
            <div role="group" aria-label="Tool" className="button-group">
              <button type="button" aria-pressed={tool === "draw"} onClick={() => setTool("draw")} title="Box tool (B): a drag draws a new box, also inside another box; Shift+drag moves a box">Box</button>
              <button type="button" aria-pressed={tool === "pan"} onClick={() => setTool("pan")} title="Pan (H, or hold Space)">Pan</button>
            </div>
            <div role="group" aria-label="History" className="button-group">
              <button type="button" onClick={undo} disabled={!session.canUndo} title="Undo (Ctrl+Z)">Undo</button>
              <button type="button" onClick={redo} disabled={!session.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
              <button type="button" onClick={removeSelected} disabled={!selected} title="Delete the selected box (Delete)">Delete box</button>
            </div>
          </>
        ) : (
          <div className="read-only-note" data-testid="read-only">
            <strong>Read-only</strong>
            {editGate.note}
          </div>
        )}
        <label className="inline">
          <input type="checkbox" checked={showPredictions} disabled={!image.has_predictions} onChange={(e) => setShowPredictions(e.target.checked)} />
          Show predictions
        </label>
        <label className="inline">
          Pool
          <select value={image.pool} onChange={(e) => onSetPool(e.target.value as "adapt" | "holdout")} aria-label="Pool of this image" {...editGate.control}>
            <option value="adapt">adapt</option>
            <option value="holdout">holdout</option>
          </select>
        </label>
        <div role="group" aria-label="Image state" className="button-group image-state-control">
          {imageState && <ImageStateBadge state={imageState} negative={boxes.length === 0} testId="image-state" />}
          {!complete ? (
            <button type="button" onClick={markComplete} disabled={!session.ready || session.stateBusy} title="Every object in this image is boxed (D); with no box, it is a negative image" {...editGate.control}>
              {session.ready && boxes.length === 0 ? "Mark complete: no objects (D)" : "Mark complete (D)"}
            </button>
          ) : (
            <button type="button" onClick={reopen} disabled={!session.ready || session.stateBusy} title="Not every object is boxed yet" {...editGate.control}>
              {boxes.length > 0 ? "Back to in progress" : "Back to unlabelled"}
            </button>
          )}
        </div>
        <span className={`save-state save-state--${session.save.status}`} role="status" aria-live="polite" data-testid="save-state">
          {SAVE_TEXT[session.save.status]}
        </span>
        {canEdit && <span className="muted" title="Time spent annotating this image (idle time not counted)">Time {formatSeconds(session.elapsedMs / 1000)}</span>}
      </div>
      {session.save.status === "error" && (
        <div className="error-message" role="alert">
          {session.save.error} <button type="button" onClick={() => void session.retry()}>Retry now</button>
        </div>
      )}
      <ErrorMessage error={session.loadError} title="Could not load this image's boxes" />
      <div className="workspace__body">
        <BoxEditor
          imageUrl={fileUrl(`/api/projects/${projectId}/images/${image.id}/file`)}
          imageSize={{ width: image.width, height: image.height }}
          boxes={boxes}
          classes={classes}
          activeClassId={activeClassId}
          selectedKey={selected}
          onSelect={setSelected}
          onCommit={(next: EditableBox[], selectKey?: string | null) => {
            commit(next);
            if (selectKey !== undefined) setSelected(selectKey);
          }}
          overlays={overlays}
          tool={tool}
          readOnly={!session.ready || !canEdit}
          label={
            canEdit
              ? `Image ${image.id} (${image.file_name}): drag to draw a box of the chosen class, also inside another box; click a box to select it, drag its handles to resize it, Shift+drag to move it`
              : `Image ${image.id} (${image.file_name}), read-only: drag to pan`
          }
          hint={canEdit ? "Drag: new box · click: select · Shift+drag: move · ? all keys" : "Read-only · drag: pan · ? all keys"}
        />
        <aside className="box-list" aria-label="Boxes on this image">
          <h3>{boxes.length} box{boxes.length === 1 ? "" : "es"}</h3>
          <ol>
            {boxes.map((b, index) => (
              <li key={b.key} className={b.key === selected ? "box-row box-row--selected" : "box-row"}>
                <button type="button" className="button--link" onClick={() => setSelected(b.key)} aria-label={`Select box ${index + 1}`}>#{index + 1}</button>
                <select value={b.classId} onChange={(e) => setClassOf(b.key, Number(e.target.value))} aria-label={`Class of box ${index + 1}`} {...editGate.control}>
                  {classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                </select>
                <span className="muted small">{Math.round(b.box.w)}×{Math.round(b.box.h)}</span>
                {canEdit && <button type="button" className="button--ghost" onClick={() => { commit(boxes.filter((x) => x.key !== b.key)); if (selected === b.key) setSelected(null); }} aria-label={`Delete box ${index + 1}`}>✕</button>}
              </li>
            ))}
          </ol>
          <p className="muted small workspace__keys">
            {canEdit && <>Keys: <kbd>1</kbd>–<kbd>9</kbd> class · <kbd>Del</kbd> delete · <kbd>Ctrl+Z</kbd> undo · <kbd>D</kbd> done: mark complete · </>}
            <kbd>←</kbd>/<kbd>→</kbd> image · <kbd>+</kbd>/<kbd>−</kbd>/<kbd>0</kbd> zoom · <kbd>Space</kbd>+drag pan · <kbd>?</kbd> all keys
          </p>
        </aside>
      </div>
      <nav className="workspace__nav" aria-label="Images">
        <button type="button" onClick={onPrevious ?? undefined} disabled={!onPrevious}>← Previous image</button>
        <span className="muted">{position} · {image.file_name} · {image.width}×{image.height}</span>
        <button type="button" onClick={onNext ?? undefined} disabled={!onNext}>Next image →</button>
      </nav>
    </div>
  );
}
