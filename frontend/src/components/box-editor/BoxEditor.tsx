// The canvas of the annotation editor, drawn in SVG. With the box tool a drag always draws a new
// box, also when it starts inside another one (nested objects, as in CVAT); a click selects the
// innermost box under it, the selected box's handles resize it, and Shift- or Alt-drag moves a
// box. The edit tool (used where no box is drawn) moves a box by dragging it. Zoom with the
// wheel (about the cursor), the buttons above the canvas or + − 0 (page-wide: no click on the
// canvas needed); pan with the hand tool, the middle button or Space+drag. Controlled: the
// parent owns the boxes and gets one onCommit per finished gesture (so undo/redo and saving see
// whole gestures, not every pixel).
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent } from "react";
import { keyIsFor } from "@/lib/keys";
import { useShortcuts, type Shortcut, type ShortcutGroup } from "@/lib/shortcuts";
import {
  HANDLES,
  boxFromDrag,
  containsPoint,
  fitView,
  handlePoint,
  hitBox,
  hitHandle,
  isUsableBox,
  moveBox,
  panBy,
  resizeBox,
  toImage,
  toScreen,
  zoomAt,
  type Box,
  type Handle,
  type Point,
  type Size,
  type View,
} from "@/lib/geometry";

export type EditorClass = { id: number; name: string; color: string };
export type EditableBox = { key: string; classId: number; box: Box };
export type OverlayBox = { key: string; box: Box; color: string; label?: string; dashed?: boolean };
/** draw: a drag draws a new box; edit: a drag moves the box under it; pan: a drag pans. */
export type EditorTool = "draw" | "edit" | "pan";

type Props = {
  imageUrl: string;
  imageSize: Size;
  boxes: readonly EditableBox[];
  classes: readonly EditorClass[];
  activeClassId: number | null;
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
  onCommit: (boxes: EditableBox[], selectKey?: string | null) => void;
  overlays?: readonly OverlayBox[];
  tool?: EditorTool;
  readOnly?: boolean;
  label: string;
  /** Minimum size in image px for a drawn box; smaller drags count as clicks. */
  minBoxSize?: number;
  /** A short line above the canvas (e.g. how to draw and move). */
  hint?: string;
};

type Drag =
  | { mode: "draw"; start: Point; current: Point }
  | { mode: "move"; key: string; origin: Box; start: Point; current: Point; moved: boolean }
  | { mode: "resize"; key: string; origin: Box; handle: Handle; current: Point }
  | { mode: "pan"; last: Point };

const CURSORS: Record<Handle, string> = {
  nw: "nwse-resize", se: "nwse-resize", ne: "nesw-resize", sw: "nesw-resize",
  n: "ns-resize", s: "ns-resize", e: "ew-resize", w: "ew-resize",
};

let nextKey = 1;
export const newBoxKey = () => `new-${nextKey++}`;

/** What the canvas does with keys and the mouse, for the shortcut overlay. */
export function boxEditorShortcuts({ tool = "draw", readOnly = false }: { tool?: EditorTool; readOnly?: boolean } = {}): ShortcutGroup {
  const moveKeys = tool === "edit" ? ["Drag a box", ["Shift", "drag"]] : [["Shift", "drag"], ["Alt", "drag"]];
  const editing: Shortcut[] = readOnly
    ? [{ keys: ["Drag"], action: "Pan (read-only: no box can be drawn or changed)" }]
    : [
        ...(tool === "edit" ? [] : [{ keys: ["Drag"], action: "Draw a new box of the chosen class, also inside another box" }]),
        { keys: ["Click"], action: "Select the box under the pointer (the innermost one)" },
        { keys: moveKeys, action: "Move a box (the selected one where boxes overlap)" },
        { keys: ["Drag a handle"], action: "Resize the selected box" },
        { keys: [["Shift", "←↑→↓"]], action: "Nudge the selected box by one image pixel" },
      ];
  return {
    id: "box-editor",
    title: "Box editor",
    order: 10,
    shortcuts: [
      ...editing,
      { keys: ["+", "="], action: "Zoom in" },
      { keys: ["-"], action: "Zoom out" },
      { keys: ["0"], action: "Fit the whole image" },
      { keys: ["Wheel"], action: "Zoom about the pointer" },
      { keys: [["Space", "drag"], "Middle-button drag"], action: "Pan" },
    ],
  };
}

const isControl = (target: EventTarget | null) =>
  target instanceof Element && target.closest("button, a[href], input, select, textarea, summary, [role='button']") !== null;

export function BoxEditor({
  imageUrl, imageSize, boxes, classes, activeClassId, selectedKey, onSelect, onCommit,
  overlays = [], tool = "draw", readOnly = false, label, minBoxSize = 2, hint,
}: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Size>({ width: 0, height: 0 });
  const [view, setView] = useState<View>({ scale: 1, tx: 0, ty: 0 });
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hoverCursor, setHoverCursor] = useState<string | null>(null);
  const [spaceHeld, setSpaceHeld] = useState(false);
  useShortcuts(boxEditorShortcuts({ tool, readOnly }));
  const colorOf = useMemo(() => new Map(classes.map((c) => [c.id, c.color])), [classes]);
  const nameOf = useMemo(() => new Map(classes.map((c) => [c.id, c.name])), [classes]);

  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () =>
      setViewport((v) =>
        v.width === element.clientWidth && v.height === element.clientHeight ? v : { width: element.clientWidth, height: element.clientHeight },
      );
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Keyed on the numbers, not the objects: a parent re-rendering with an equal `imageSize` (a new
  // object each render) must not re-fit, which would undo the user's zoom.
  const { width: imageWidth, height: imageHeight } = imageSize;
  const { width: viewWidth, height: viewHeight } = viewport;
  const fit = useCallback(() => {
    if (viewWidth > 0 && viewHeight > 0)
      setView(fitView({ width: imageWidth, height: imageHeight }, { width: viewWidth, height: viewHeight }));
  }, [imageWidth, imageHeight, viewWidth, viewHeight]);
  // A new image or a new viewport size shows the whole image again.
  useEffect(fit, [fit, imageUrl]);

  const zoomBy = useCallback(
    (factor: number, anchor?: Point) =>
      setView((v) => zoomAt(v, factor, anchor ?? { x: viewport.width / 2, y: viewport.height / 2 })),
    [viewport],
  );

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
      setView((v) => zoomAt(v, factor, { x: event.clientX - rect.left, y: event.clientY - rect.top }));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, []);

  const screenPoint = (event: PointerEvent): Point => {
    const rect = frame.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const selected = boxes.find((b) => b.key === selectedKey) ?? null;

  /** The box a move gesture at `point` takes: the selected one if the point is in it (so an
   * outer box can be moved where a smaller one lies inside it), else the innermost. */
  const movableAt = (point: Point): EditableBox | null =>
    selected && containsPoint(selected.box, point) ? selected : (boxes[hitBox(boxes.map((b) => b.box), point)] ?? null);

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    frame.current?.focus({ preventScroll: true });
    const screen = screenPoint(event);
    const panning = tool === "pan" || spaceHeld || event.button === 1 || readOnly;
    if (event.button !== 0 && event.button !== 1) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    event.preventDefault();
    if (panning) {
      setDrag({ mode: "pan", last: screen });
      return;
    }
    const point = toImage(view, screen);
    if (selected) {
      const handle = hitHandle(selected.box, view, screen);
      if (handle) {
        setDrag({ mode: "resize", key: selected.key, origin: selected.box, handle, current: point });
        return;
      }
    }
    if (tool === "edit" || event.shiftKey || event.altKey) {
      const hit = movableAt(point);
      if (hit) {
        onSelect(hit.key);
        setDrag({ mode: "move", key: hit.key, origin: hit.box, start: point, current: point, moved: false });
        return;
      }
      if (tool === "edit") {
        onSelect(null);
        setDrag({ mode: "pan", last: screen });
        return;
      }
    }
    // The box tool: a drag draws, wherever it starts; a click (a drag too small to be a box)
    // selects, decided when the button is released.
    setDrag({ mode: "draw", start: point, current: point });
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const screen = screenPoint(event);
    if (!drag) {
      if (readOnly || tool === "pan" || spaceHeld) return setHoverCursor(null);
      const handle = selected ? hitHandle(selected.box, view, screen) : null;
      const moving = tool === "edit" || event.shiftKey || event.altKey;
      const overBox = moving && movableAt(toImage(view, screen)) != null;
      setHoverCursor(handle ? CURSORS[handle] : overBox ? "move" : tool === "edit" ? "grab" : null);
      return;
    }
    if (drag.mode === "pan") {
      setView((v) => panBy(v, screen.x - drag.last.x, screen.y - drag.last.y));
      setDrag({ mode: "pan", last: screen });
      return;
    }
    const point = toImage(view, screen);
    if (drag.mode === "move") {
      const moved = drag.moved || Math.hypot(point.x - drag.start.x, point.y - drag.start.y) * view.scale > 2;
      setDrag({ ...drag, current: point, moved });
    } else {
      setDrag({ ...drag, current: point });
    }
  };

  const finish = () => {
    if (!drag) return;
    setDrag(null);
    if (drag.mode === "draw") {
      const box = boxFromDrag(drag.start, drag.current, imageSize);
      if (!isUsableBox(box, Math.max(minBoxSize, 4 / view.scale))) {
        onSelect(boxes[hitBox(boxes.map((b) => b.box), drag.start)]?.key ?? null);
      } else if (activeClassId != null) {
        const key = newBoxKey();
        onCommit([...boxes, { key, classId: activeClassId, box }], key);
      }
    } else if (drag.mode === "move" && drag.moved) {
      onCommit(boxes.map((b) => (b.key === drag.key ? { ...b, box: draggedBox(drag) } : b)));
    } else if (drag.mode === "resize") {
      const box = draggedBox(drag);
      if (isUsableBox(box, 1)) onCommit(boxes.map((b) => (b.key === drag.key ? { ...b, box } : b)));
    }
  };

  const draggedBox = (d: Drag): Box => {
    if (d.mode === "move") return moveBox(d.origin, d.current.x - d.start.x, d.current.y - d.start.y, imageSize);
    if (d.mode === "resize") return resizeBox(d.origin, d.handle, d.current, imageSize);
    return { x: 0, y: 0, w: 0, h: 0 };
  };

  // The canvas's keys are heard page-wide (no click on the canvas first), except while typing
  // and except for a canvas behind an open dialog; the latest props through a ref.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => {});
  onKey.current = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || !keyIsFor(frame.current, event)) return;
    if (event.key === " ") {
      // Space on a focused button presses it: pan only when the focus is elsewhere.
      if (isControl(event.target)) return;
      setSpaceHeld(true);
      event.preventDefault();
    } else if (event.altKey) {
      return;
    } else if (event.key === "+" || event.key === "=") {
      zoomBy(1.25);
      event.preventDefault();
    } else if (event.key === "-") {
      zoomBy(0.8);
      event.preventDefault();
    } else if (event.key === "0") {
      fit();
      event.preventDefault();
    } else if (selected && !readOnly && event.shiftKey && event.key.startsWith("Arrow")) {
      // Shift+arrows nudge the selected box by one image pixel (plain arrows change image).
      const dx = event.key === "ArrowLeft" ? -1 : event.key === "ArrowRight" ? 1 : 0;
      const dy = event.key === "ArrowUp" ? -1 : event.key === "ArrowDown" ? 1 : 0;
      onCommit(boxes.map((b) => (b.key === selected.key ? { ...b, box: moveBox(b.box, dx, dy, imageSize) } : b)));
      event.preventDefault();
    }
  };
  useEffect(() => {
    const down = (event: KeyboardEvent) => onKey.current(event);
    const up = (event: KeyboardEvent) => event.key === " " && setSpaceHeld(false);
    const away = () => setSpaceHeld(false);
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    window.addEventListener("blur", away);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", away);
    };
  }, []);

  const shown = boxes.map((b) =>
    drag && (drag.mode === "move" || drag.mode === "resize") && drag.key === b.key ? { ...b, box: draggedBox(drag) } : b,
  );
  const drawing = drag?.mode === "draw" ? boxFromDrag(drag.start, drag.current, imageSize) : null;
  const transform = `translate(${view.tx} ${view.ty}) scale(${view.scale})`;
  const cursor =
    drag?.mode === "pan" ? "grabbing" : tool === "pan" || spaceHeld || readOnly ? "grab" : drag?.mode === "resize" ? CURSORS[drag.handle] : drag?.mode === "move" ? "move" : (hoverCursor ?? "crosshair");
  const selectedShown = shown.find((b) => b.key === selectedKey);

  return (
    <div className="box-editor-frame">
      <div className="box-editor__bar">
        {hint && <span className="muted small box-editor__hint">{hint}</span>}
        <div className="box-editor__zoom" role="group" aria-label="Zoom">
          <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in" title="Zoom in (+)">+</button>
          <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out" title="Zoom out (−)">−</button>
          <button type="button" onClick={fit} aria-label="Fit image" title="Fit the image (0)">⤢</button>
          <span className="box-editor__scale" aria-live="off" data-testid="zoom-scale">{Math.round(view.scale * 100)}%</span>
        </div>
      </div>
      <div
        ref={frame}
        className="box-editor"
        tabIndex={0}
        role="application"
        aria-label={label}
        aria-roledescription="box editor"
        onBlur={() => setSpaceHeld(false)}
        data-testid="box-editor"
        data-scale={view.scale.toFixed(4)}
        data-tool={readOnly ? "read-only" : tool}
      >
        <svg
          width="100%"
          height="100%"
          style={{ cursor }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={finish}
          onPointerCancel={() => setDrag(null)}
          onContextMenu={(event) => event.preventDefault()}
        >
          <g transform={transform}>
            <image href={imageUrl} x={0} y={0} width={imageSize.width} height={imageSize.height} preserveAspectRatio="none" style={{ imageRendering: view.scale > 3 ? "pixelated" : "auto" }} data-testid="editor-image" />
            <rect x={0} y={0} width={imageSize.width} height={imageSize.height} fill="none" stroke="#0003" vectorEffect="non-scaling-stroke" />
            {overlays.map((o) => (
              <rect key={o.key} x={o.box.x} y={o.box.y} width={o.box.w} height={o.box.h} fill="none" stroke={o.color} strokeWidth={2} strokeDasharray={o.dashed ? "6 4" : undefined} vectorEffect="non-scaling-stroke" pointerEvents="none" />
            ))}
            {shown.map((b) => {
              const color = colorOf.get(b.classId) ?? "#888";
              const isSelected = b.key === selectedKey;
              return (
                <rect key={b.key} x={b.box.x} y={b.box.y} width={b.box.w} height={b.box.h} fill={color} fillOpacity={isSelected ? 0.18 : 0.08} stroke={color} strokeWidth={isSelected ? 3 : 2} vectorEffect="non-scaling-stroke" data-testid="editor-box" data-class-id={b.classId} />
              );
            })}
            {drawing && (
              <rect x={drawing.x} y={drawing.y} width={drawing.w} height={drawing.h} fill="none" stroke={colorOf.get(activeClassId ?? -1) ?? "#000"} strokeWidth={2} strokeDasharray="4 3" vectorEffect="non-scaling-stroke" />
            )}
          </g>
          {[...overlays.filter((o) => o.label), ...shown].map((item) => {
            const isOverlay = !("classId" in item);
            const text = isOverlay ? (item as OverlayBox).label! : (nameOf.get((item as EditableBox).classId) ?? "?");
            const color = isOverlay ? (item as OverlayBox).color : (colorOf.get((item as EditableBox).classId) ?? "#888");
            const at = toScreen(view, { x: item.box.x, y: item.box.y });
            return (
              <text key={`label-${item.key}`} x={at.x + 3} y={Math.max(12, at.y - 4)} fontSize={12} fill={color} stroke="#fff" strokeWidth={3} paintOrder="stroke" pointerEvents="none">
                {text}
              </text>
            );
          })}
          {selectedShown && !readOnly &&
            HANDLES.map((handle) => {
              const p = toScreen(view, handlePoint(selectedShown.box, handle));
              return <rect key={handle} x={p.x - 4} y={p.y - 4} width={8} height={8} fill="#fff" stroke="#111" strokeWidth={1} pointerEvents="none" />;
            })}
        </svg>
      </div>
    </div>
  );
}
