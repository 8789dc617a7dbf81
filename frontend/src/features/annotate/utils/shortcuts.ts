import type { ShortcutGroup } from "@/lib/shortcuts";

/** The annotation editor's own keys (the canvas declares its own), as the overlay lists them:
 * a role that may not annotate has only the ones that change nothing. */
export function annotateShortcuts({ canEdit }: { canEdit: boolean }): ShortcutGroup {
  return {
    id: "annotate",
    title: canEdit ? "Annotate" : "Annotate (read-only)",
    order: 0,
    shortcuts: [
      ...(canEdit
        ? [
            { keys: ["1–9"], action: "Class for new boxes; with a box selected, its class too" },
            { keys: ["B"], action: "Box tool: a drag draws a new box" },
            { keys: ["H"], action: "Pan tool" },
            { keys: [["Ctrl", "Z"]], action: "Undo" },
            { keys: [["Ctrl", "Shift", "Z"], ["Ctrl", "Y"]], action: "Redo" },
            { keys: ["Delete", "Backspace"], action: "Delete the selected box" },
            { keys: ["D"], action: "Mark the image complete (done)" },
          ]
        : []),
      { keys: ["Esc"], action: "Deselect the box" },
      { keys: ["←", "→"], action: "Previous / next image" },
    ],
  };
}
