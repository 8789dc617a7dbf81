import { describe, expect, it } from "vitest";
import {
  boxFromDrag,
  clampBox,
  contextViewBox,
  fitView,
  hitBox,
  hitHandle,
  iou,
  isUsableBox,
  moveBox,
  panBy,
  resizeBox,
  toImage,
  toScreen,
  toXywh,
  zoomAt,
} from "./geometry";

const image = { width: 200, height: 100 };

describe("view transforms", () => {
  it("maps image points to the screen and back", () => {
    const view = { scale: 2.5, tx: 30, ty: -10 };
    const p = { x: 12, y: 34 };
    expect(toScreen(view, p)).toEqual({ x: 60, y: 75 });
    expect(toImage(view, toScreen(view, p))).toEqual(p);
  });

  it("fits the whole image centred in the viewport", () => {
    const view = fitView(image, { width: 440, height: 440 }, 20);
    expect(view.scale).toBe(2);
    expect(toScreen(view, { x: 0, y: 0 })).toEqual({ x: 20, y: 120 });
    expect(toScreen(view, { x: 200, y: 100 })).toEqual({ x: 420, y: 320 });
  });

  it("zooms about the cursor: the image point under it stays put", () => {
    const view = { scale: 1, tx: 10, ty: 20 };
    const anchor = { x: 110, y: 70 };
    const before = toImage(view, anchor);
    const zoomed = zoomAt(view, 3, anchor);
    expect(zoomed.scale).toBe(3);
    const after = toImage(zoomed, anchor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it("keeps the zoom within its limits", () => {
    expect(zoomAt({ scale: 30, tx: 0, ty: 0 }, 10, { x: 0, y: 0 }).scale).toBe(40);
    expect(zoomAt({ scale: 0.1, tx: 0, ty: 0 }, 0.01, { x: 0, y: 0 }).scale).toBe(0.05);
  });

  it("pans by screen pixels", () => {
    expect(panBy({ scale: 2, tx: 1, ty: 2 }, 5, -7)).toEqual({ scale: 2, tx: 6, ty: -5 });
  });
});

describe("drawing", () => {
  it("spans the box between press and release in any direction", () => {
    expect(boxFromDrag({ x: 50, y: 60 }, { x: 10, y: 20 }, image)).toEqual({ x: 10, y: 20, w: 40, h: 40 });
  });

  it("clamps a drag that leaves the image to the image", () => {
    expect(boxFromDrag({ x: 150, y: 50 }, { x: 260, y: -30 }, image)).toEqual({ x: 150, y: 0, w: 50, h: 50 });
  });

  it("treats a tiny drag as a click", () => {
    expect(isUsableBox(boxFromDrag({ x: 5, y: 5 }, { x: 6, y: 30 }, image))).toBe(false);
    expect(isUsableBox({ x: 0, y: 0, w: 2, h: 2 })).toBe(true);
  });
});

describe("clamping", () => {
  it("cuts a box to the part inside the image", () => {
    expect(clampBox({ x: -10, y: 90, w: 30, h: 30 }, image)).toEqual({ x: 0, y: 90, w: 20, h: 10 });
  });

  it("normalises negative sizes", () => {
    expect(clampBox({ x: 50, y: 50, w: -20, h: -10 }, image)).toEqual({ x: 30, y: 40, w: 20, h: 10 });
  });
});

describe("moving", () => {
  it("moves a box and stops it at the edges without shrinking it", () => {
    const box = { x: 10, y: 10, w: 40, h: 20 };
    expect(moveBox(box, 5, 5, image)).toEqual({ x: 15, y: 15, w: 40, h: 20 });
    expect(moveBox(box, 500, -500, image)).toEqual({ x: 160, y: 0, w: 40, h: 20 });
  });
});

describe("resizing", () => {
  const box = { x: 50, y: 20, w: 40, h: 30 };

  it("drags a corner", () => {
    expect(resizeBox(box, "se", { x: 120, y: 80 }, image)).toEqual({ x: 50, y: 20, w: 70, h: 60 });
    expect(resizeBox(box, "nw", { x: 40, y: 10 }, image)).toEqual({ x: 40, y: 10, w: 50, h: 40 });
  });

  it("drags an edge, changing one side only", () => {
    expect(resizeBox(box, "e", { x: 100, y: 999 }, image)).toEqual({ x: 50, y: 20, w: 50, h: 30 });
    expect(resizeBox(box, "n", { x: -999, y: 0 }, image)).toEqual({ x: 50, y: 0, w: 40, h: 50 });
  });

  it("flips instead of going negative when dragged past the opposite edge", () => {
    expect(resizeBox(box, "w", { x: 110, y: 0 }, image)).toEqual({ x: 90, y: 20, w: 20, h: 30 });
  });

  it("stays inside the image", () => {
    expect(resizeBox(box, "se", { x: 500, y: 500 }, image)).toEqual({ x: 50, y: 20, w: 150, h: 80 });
  });
});

describe("hit testing", () => {
  it("finds the handle near the pointer, in screen pixels", () => {
    const view = { scale: 2, tx: 0, ty: 0 };
    const box = { x: 10, y: 10, w: 20, h: 20 };
    expect(hitHandle(box, view, { x: 61, y: 59 })).toBe("se");
    expect(hitHandle(box, view, { x: 40, y: 21 })).toBe("n");
    expect(hitHandle(box, view, { x: 40, y: 40 })).toBeNull();
  });

  it("picks the smallest box under the point so nested boxes stay selectable", () => {
    const boxes = [
      { x: 0, y: 0, w: 100, h: 100 },
      { x: 10, y: 10, w: 10, h: 10 },
    ];
    expect(hitBox(boxes, { x: 15, y: 15 })).toBe(1);
    expect(hitBox(boxes, { x: 50, y: 50 })).toBe(0);
    expect(hitBox(boxes, { x: 150, y: 50 })).toBe(-1);
  });
});

describe("API boxes", () => {
  it("rounds to 1/100 px without passing the image edge", () => {
    const [x, y, w, h] = toXywh({ x: 199.996, y: 0.004, w: 0.004, h: 99.999 }, image);
    expect(x + w).toBeLessThanOrEqual(200);
    expect(y + h).toBeLessThanOrEqual(100);
    expect(toXywh({ x: 10.123, y: 20.987, w: 5.555, h: 6 }, image)).toEqual([10.12, 20.99, 5.56, 6]);
  });

  it("computes intersection over union", () => {
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150);
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 20, y: 0, w: 10, h: 10 })).toBe(0);
  });

  it("frames a detection with context, inside the image", () => {
    const view = contextViewBox({ x: 190, y: 90, w: 10, h: 10 }, image);
    expect(view.x + view.w).toBeLessThanOrEqual(200);
    expect(view.y + view.h).toBeLessThanOrEqual(100);
    expect(view.w).toBeGreaterThan(10);
  });
});
