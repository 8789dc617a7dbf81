// The editor as a component: pointer gestures become boxes. In the test DOM the editor has no
// layout, so the view is the identity and screen pixels equal image pixels.
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { BoxEditor, type EditableBox } from "./BoxEditor";

const classes = [
  { id: 7, name: "cat", color: "#ff0000" },
  { id: 8, name: "dog", color: "#00ff00" },
];

function setup(boxes: EditableBox[] = [], props: Partial<Parameters<typeof BoxEditor>[0]> = {}) {
  const onCommit = vi.fn();
  const onSelect = vi.fn();
  render(
    <BoxEditor imageUrl="about:blank" imageSize={{ width: 100, height: 80 }} boxes={boxes} classes={classes} activeClassId={8} selectedKey={null} onSelect={onSelect} onCommit={onCommit} label="editor" {...props} />,
  );
  const svg = screen.getByTestId("box-editor").querySelector("svg")!;
  const drag = (from: [number, number], ...to: [number, number][]) => {
    fireEvent.pointerDown(svg, { clientX: from[0], clientY: from[1], button: 0, pointerId: 1 });
    for (const [x, y] of to) fireEvent.pointerMove(svg, { clientX: x, clientY: y, pointerId: 1 });
    const [x, y] = to[to.length - 1] ?? from;
    fireEvent.pointerUp(svg, { clientX: x, clientY: y, pointerId: 1 });
  };
  return { onCommit, onSelect, drag };
}

describe("BoxEditor", () => {
  it("draws a box of the active class and selects it", () => {
    const { onCommit, drag } = setup();
    drag([10, 20], [30, 40], [50, 60]);
    expect(onCommit).toHaveBeenCalledTimes(1);
    const [boxes, selected] = onCommit.mock.calls[0]!;
    expect(boxes).toEqual([{ key: selected, classId: 8, box: { x: 10, y: 20, w: 40, h: 40 } }]);
  });

  it("clamps a box drawn past the image's edge", () => {
    const { onCommit, drag } = setup();
    drag([90, 70], [150, 120]);
    expect(onCommit.mock.calls[0]![0][0].box).toEqual({ x: 90, y: 70, w: 10, h: 10 });
  });

  it("takes a tiny drag for a click: nothing drawn, selection cleared", () => {
    const { onCommit, onSelect, drag } = setup();
    drag([10, 10], [11, 11]);
    expect(onCommit).not.toHaveBeenCalled();
    expect(onSelect).toHaveBeenCalledWith(null);
  });

  it("moves a box dragged from inside it", () => {
    const { onCommit, onSelect, drag } = setup([{ key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } }]);
    drag([15, 15], [20, 20], [25, 30]);
    expect(onSelect).toHaveBeenCalledWith("a");
    expect(onCommit.mock.calls[0]![0]).toEqual([{ key: "a", classId: 7, box: { x: 20, y: 25, w: 20, h: 20 } }]);
  });

  it("selects without moving on a click inside a box", () => {
    const { onCommit, onSelect, drag } = setup([{ key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } }]);
    drag([15, 15]);
    expect(onSelect).toHaveBeenCalledWith("a");
    expect(onCommit).not.toHaveBeenCalled();
  });

  it("resizes the selected box by its corner handle", () => {
    const { onCommit, drag } = setup([{ key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } }], { selectedKey: "a" });
    drag([30, 30], [50, 45]);
    expect(onCommit.mock.calls[0]![0][0].box).toEqual({ x: 10, y: 10, w: 40, h: 35 });
  });

  it("pans instead of drawing when read-only", () => {
    const { onCommit, drag } = setup([], { readOnly: true });
    drag([10, 10], [40, 40]);
    expect(onCommit).not.toHaveBeenCalled();
  });

  it("zooms with its buttons and nudges the selected box with Shift+arrows", () => {
    const { onCommit } = setup([{ key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } }], { selectedKey: "a" });
    const editor = screen.getByTestId("box-editor");
    fireEvent.click(screen.getByRole("button", { name: "Zoom in" }));
    expect(editor.dataset.scale).toBe("1.2500");
    fireEvent.keyDown(editor, { key: "ArrowRight", shiftKey: true });
    expect(onCommit.mock.calls[0]![0][0].box).toEqual({ x: 11, y: 10, w: 20, h: 20 });
  });
});
