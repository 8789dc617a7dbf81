// Geometry of the box editor, in two spaces: image pixels (what is stored: COCO [x, y, w, h])
// and screen pixels of the editor. A View maps one to the other: screen = image * scale + t.
// Pure functions, tested in geometry.test.ts.

export type Point = { x: number; y: number };
export type Box = { x: number; y: number; w: number; h: number };
export type Size = { width: number; height: number };
export type View = { scale: number; tx: number; ty: number };
export type Handle = "nw" | "n" | "ne" | "e" | "se" | "s" | "sw" | "w";

export const HANDLES: readonly Handle[] = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];
export const ZOOM_LIMITS = { min: 0.05, max: 40 } as const;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

// --- view: zoom and pan ------------------------------------------------------------------------

export function toScreen(view: View, p: Point): Point {
  return { x: p.x * view.scale + view.tx, y: p.y * view.scale + view.ty };
}

export function toImage(view: View, p: Point): Point {
  return { x: (p.x - view.tx) / view.scale, y: (p.y - view.ty) / view.scale };
}

/** The view that shows the whole image centred in the viewport, with `padding` screen px. */
export function fitView(image: Size, viewport: Size, padding = 16): View {
  const availableW = Math.max(1, viewport.width - 2 * padding);
  const availableH = Math.max(1, viewport.height - 2 * padding);
  const scale = clamp(Math.min(availableW / image.width, availableH / image.height), ZOOM_LIMITS.min, ZOOM_LIMITS.max);
  return {
    scale,
    tx: (viewport.width - image.width * scale) / 2,
    ty: (viewport.height - image.height * scale) / 2,
  };
}

/** Zoom by `factor` keeping the image point under `anchor` (screen px) where it is. */
export function zoomAt(view: View, factor: number, anchor: Point): View {
  const scale = clamp(view.scale * factor, ZOOM_LIMITS.min, ZOOM_LIMITS.max);
  const under = toImage(view, anchor);
  return { scale, tx: anchor.x - under.x * scale, ty: anchor.y - under.y * scale };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, tx: view.tx + dx, ty: view.ty + dy };
}

// --- boxes -------------------------------------------------------------------------------------

export function clampPoint(p: Point, image: Size): Point {
  return { x: clamp(p.x, 0, image.width), y: clamp(p.y, 0, image.height) };
}

/** The box spanned by two corners, in any order. */
export function boxFromCorners(a: Point, b: Point): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
}

/** Drawing with the mouse: from the press to the current point, both kept inside the image. */
export function boxFromDrag(start: Point, end: Point, image: Size): Box {
  return boxFromCorners(clampPoint(start, image), clampPoint(end, image));
}

/** The part of a box inside the image (width or height 0 when it lies outside). */
export function clampBox(box: Box, image: Size): Box {
  const x0 = clamp(Math.min(box.x, box.x + box.w), 0, image.width);
  const y0 = clamp(Math.min(box.y, box.y + box.h), 0, image.height);
  const x1 = clamp(Math.max(box.x, box.x + box.w), 0, image.width);
  const y1 = clamp(Math.max(box.y, box.y + box.h), 0, image.height);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Move a box by (dx, dy) image px; it stops at the image's edges and keeps its size. */
export function moveBox(box: Box, dx: number, dy: number, image: Size): Box {
  const inside = clampBox(box, image);
  return {
    ...inside,
    x: clamp(inside.x + dx, 0, image.width - inside.w),
    y: clamp(inside.y + dy, 0, image.height - inside.h),
  };
}

/** Drag one handle of a box to `point` (image px, kept inside the image). Dragging an edge past
 * the opposite one flips the box instead of giving it a negative size. */
export function resizeBox(box: Box, handle: Handle, point: Point, image: Size): Box {
  const p = clampPoint(point, image);
  let x0 = box.x;
  let y0 = box.y;
  let x1 = box.x + box.w;
  let y1 = box.y + box.h;
  if (handle.includes("w")) x0 = p.x;
  if (handle.includes("e")) x1 = p.x;
  if (handle.startsWith("n")) y0 = p.y;
  if (handle.startsWith("s")) y1 = p.y;
  return clampBox(boxFromCorners({ x: x0, y: y0 }, { x: x1, y: y1 }), image);
}

/** Boxes smaller than this (image px) are taken for a click, not a drawing. */
export function isUsableBox(box: Box, minSize = 2): boolean {
  return box.w >= minSize && box.h >= minSize;
}

export function handlePoint(box: Box, handle: Handle): Point {
  const x = handle.includes("w") ? box.x : handle.includes("e") ? box.x + box.w : box.x + box.w / 2;
  const y = handle.startsWith("n") ? box.y : handle.startsWith("s") ? box.y + box.h : box.y + box.h / 2;
  return { x, y };
}

/** The handle of `box` within `radius` screen px of the screen point, if any. */
export function hitHandle(box: Box, view: View, screen: Point, radius = 7): Handle | null {
  let best: Handle | null = null;
  let bestDistance = radius;
  for (const handle of HANDLES) {
    const s = toScreen(view, handlePoint(box, handle));
    const distance = Math.max(Math.abs(s.x - screen.x), Math.abs(s.y - screen.y));
    if (distance <= bestDistance) {
      best = handle;
      bestDistance = distance;
    }
  }
  return best;
}

export function containsPoint(box: Box, p: Point): boolean {
  return p.x >= box.x && p.x <= box.x + box.w && p.y >= box.y && p.y <= box.y + box.h;
}

/** Index of the box under an image point: the smallest one, so nested boxes stay reachable. */
export function hitBox(boxes: readonly Box[], p: Point): number {
  let found = -1;
  let area = Infinity;
  boxes.forEach((box, index) => {
    if (containsPoint(box, p) && box.w * box.h < area) {
      found = index;
      area = box.w * box.h;
    }
  });
  return found;
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

// --- the API's [x, y, w, h] ----------------------------------------------------------------------

export function fromXywh(values: readonly number[]): Box {
  const [x = 0, y = 0, w = 0, h = 0] = values;
  return { x, y, w, h };
}

/** The box as the API stores it: inside the image, to 1/100 px, never past the right or bottom
 * edge by rounding. */
export function toXywh(box: Box, image: Size): [number, number, number, number] {
  const inside = clampBox(box, image);
  const round = (v: number) => Math.round(v * 100) / 100;
  const x = round(inside.x);
  const y = round(inside.y);
  const w = Math.min(round(inside.w), Math.floor((image.width - x) * 100) / 100);
  const h = Math.min(round(inside.h), Math.floor((image.height - y) * 100) / 100);
  return [x, y, w, h];
}

/** A viewBox around a box with some context, for a detection's thumbnail. */
export function contextViewBox(box: Box, image: Size, context = 0.6): Box {
  const side = Math.max(box.w, box.h) * (1 + 2 * context) + 8;
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const w = Math.min(side, image.width);
  const h = Math.min(side, image.height);
  return { x: clamp(cx - w / 2, 0, image.width - w), y: clamp(cy - h / 2, 0, image.height - h), w, h };
}
