// The editor as a component: pointer gestures become boxes. In the test DOM the editor has no
// layout, so the view is the identity and screen pixels equal image pixels.
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { shortcutRegistry } from "@/lib/shortcuts";
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
  const gesture = (modifiers: { shiftKey?: boolean; altKey?: boolean }) => (from: [number, number], ...to: [number, number][]) => {
    fireEvent.pointerDown(svg, { clientX: from[0], clientY: from[1], button: 0, pointerId: 1, ...modifiers });
    for (const [x, y] of to) fireEvent.pointerMove(svg, { clientX: x, clientY: y, pointerId: 1, ...modifiers });
    const [x, y] = to[to.length - 1] ?? from;
    fireEvent.pointerUp(svg, { clientX: x, clientY: y, pointerId: 1, ...modifiers });
  };
  return { onCommit, onSelect, drag: gesture({}), shiftDrag: gesture({ shiftKey: true }), altDrag: gesture({ altKey: true }) };
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

  it("draws a new box when the drag starts inside another box, which stays as it was", () => {
    const outer = { key: "a", classId: 7, box: { x: 10, y: 10, w: 60, h: 60 } };
    const { onCommit, drag } = setup([outer]);
    drag([20, 20], [30, 30], [40, 45]);
    expect(onCommit).toHaveBeenCalledTimes(1);
    const [boxes, selected] = onCommit.mock.calls[0]!;
    expect(boxes).toEqual([outer, { key: selected, classId: 8, box: { x: 20, y: 20, w: 20, h: 25 } }]);
  });

  it("draws inside the selected box too (only its handles resize it)", () => {
    const outer = { key: "a", classId: 7, box: { x: 10, y: 10, w: 60, h: 60 } };
    const { onCommit, drag } = setup([outer], { selectedKey: "a" });
    drag([30, 30], [50, 50]);
    expect(onCommit.mock.calls[0]![0]).toEqual([outer, expect.objectContaining({ classId: 8, box: { x: 30, y: 30, w: 20, h: 20 } })]);
  });

  it("moves a box with Shift+drag or Alt+drag", () => {
    const { onCommit, onSelect, shiftDrag, altDrag } = setup([{ key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } }]);
    shiftDrag([15, 15], [20, 20], [25, 30]);
    expect(onSelect).toHaveBeenCalledWith("a");
    expect(onCommit.mock.calls[0]![0]).toEqual([{ key: "a", classId: 7, box: { x: 20, y: 25, w: 20, h: 20 } }]);
    altDrag([15, 15], [10, 15]);
    expect(onCommit.mock.calls[1]![0]).toEqual([{ key: "a", classId: 7, box: { x: 5, y: 10, w: 20, h: 20 } }]);
  });

  it("moves the selected outer box with Shift+drag even over a box inside it", () => {
    const outer = { key: "outer", classId: 7, box: { x: 0, y: 0, w: 60, h: 60 } };
    const inner = { key: "inner", classId: 8, box: { x: 20, y: 20, w: 10, h: 10 } };
    const { onCommit, shiftDrag } = setup([outer, inner], { selectedKey: "outer" });
    shiftDrag([25, 25], [35, 25]);
    expect(onCommit.mock.calls[0]![0]).toEqual([{ ...outer, box: { x: 10, y: 0, w: 60, h: 60 } }, inner]);
  });

  it("moves the box under a drag with the edit tool, and draws nothing", () => {
    const { onCommit, drag } = setup([{ key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } }], { tool: "edit" });
    drag([15, 15], [25, 30]);
    expect(onCommit.mock.calls[0]![0]).toEqual([{ key: "a", classId: 7, box: { x: 20, y: 25, w: 20, h: 20 } }]);
    drag([60, 60], [90, 75]);
    expect(onCommit).toHaveBeenCalledTimes(1);
  });

  it("selects the innermost box on a click inside boxes, without moving it", () => {
    const { onCommit, onSelect, drag } = setup([
      { key: "outer", classId: 7, box: { x: 0, y: 0, w: 60, h: 60 } },
      { key: "a", classId: 7, box: { x: 10, y: 10, w: 20, h: 20 } },
    ]);
    drag([15, 15]);
    expect(onSelect).toHaveBeenLastCalledWith("a");
    drag([50, 50]);
    expect(onSelect).toHaveBeenLastCalledWith("outer");
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

  it("keeps the user's zoom when its parent re-renders with an equal image size", () => {
    // a laid-out frame, so fitting to it is not the identity
    const width = vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(400);
    const height = vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(300);
    try {
      const props = { imageUrl: "about:blank", boxes: [], classes, activeClassId: 8, selectedKey: null, onSelect: () => {}, onCommit: () => {}, label: "editor" };
      const { rerender } = render(<BoxEditor {...props} imageSize={{ width: 100, height: 80 }} />);
      const editor = screen.getByTestId("box-editor");
      const fitted = editor.dataset.scale;
      fireEvent.click(screen.getByRole("button", { name: "Zoom in" }));
      const zoomed = editor.dataset.scale;
      expect(zoomed).not.toBe(fitted);
      rerender(<BoxEditor {...props} imageSize={{ width: 100, height: 80 }} />); // a new, equal object
      expect(editor.dataset.scale).toBe(zoomed);
      rerender(<BoxEditor {...props} imageSize={{ width: 200, height: 80 }} />); // another image size fits again
      expect(editor.dataset.scale).not.toBe(zoomed);
    } finally {
      width.mockRestore();
      height.mockRestore();
    }
  });

  it("hears the zoom keys page-wide, not while typing and not behind an open dialog", () => {
    setup();
    const editor = screen.getByTestId("box-editor");
    fireEvent.keyDown(document.body, { key: "+" });
    expect(editor.dataset.scale).toBe("1.2500");
    const input = document.body.appendChild(document.createElement("input"));
    fireEvent.keyDown(input, { key: "+" });
    expect(editor.dataset.scale).toBe("1.2500");
    const dialog = document.body.appendChild(document.createElement("dialog"));
    dialog.setAttribute("open", "");
    const button = dialog.appendChild(document.createElement("button"));
    fireEvent.keyDown(button, { key: "-" });
    fireEvent.keyDown(document.body, { key: "-" });
    expect(editor.dataset.scale).toBe("1.2500");
    dialog.remove();
    input.remove();
    fireEvent.keyDown(document.body, { key: "-" });
    expect(editor.dataset.scale).toBe("1.0000");
  });

  it("keeps the zoom buttons out of the canvas (they never cover the image)", () => {
    setup();
    const editor = screen.getByTestId("box-editor");
    expect(editor.contains(screen.getByRole("button", { name: "Zoom in" }))).toBe(false);
  });

  it("lists its keys in the shortcut registry while mounted", () => {
    const { unmount } = render(<BoxEditor imageUrl="about:blank" imageSize={{ width: 10, height: 10 }} boxes={[]} classes={classes} activeClassId={8} selectedKey={null} onSelect={() => {}} onCommit={() => {}} label="other" />);
    const group = shortcutRegistry.groups().find((g) => g.id === "box-editor");
    expect(group?.shortcuts.map((s) => s.action)).toEqual(expect.arrayContaining(["Zoom in", "Draw a new box of the chosen class, also inside another box"]));
    unmount();
    expect(shortcutRegistry.groups().find((g) => g.id === "box-editor")).toBeUndefined();
  });
});
