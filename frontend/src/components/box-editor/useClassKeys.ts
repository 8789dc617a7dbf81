import { useEffect, useRef } from "react";
import { keyIsFor } from "@/lib/keys";
import { useShortcuts } from "@/lib/shortcuts";
import { boxEditorShortcuts, type EditorTool } from "./BoxEditor";

/** The number keys 1–9 pick the n-th of `classes` for the box being edited in a dialog (as in
 * the annotation editor), while `active`; `scope` (an element inside the dialog) keeps them to
 * that dialog, and they work from its class list too. Lists them, with the canvas's keys, in
 * the shortcut overlay under `title` while mounted (whether or not the dialog is open). */
export function useClassKeys(
  classes: readonly { id: number }[],
  onPick: (classId: number) => void,
  { active, scope, title, tool = "edit" }: { active: boolean; scope: () => Element | null; title: string; tool?: EditorTool },
): void {
  const latest = useRef({ classes, onPick, scope });
  latest.current = { classes, onPick, scope };
  useShortcuts({ id: `class-keys-${title}`, title, order: 5, shortcuts: [{ keys: ["1–9"], action: "Class of the box: the n-th class of the list" }] });
  // The same group the canvas declares once the dialog shows it (listed once).
  useShortcuts(boxEditorShortcuts({ tool }));
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      const { classes: list, onPick: pick, scope: scopeOf } = latest.current;
      if (event.ctrlKey || event.metaKey || event.altKey || !/^[1-9]$/.test(event.key)) return;
      if (!keyIsFor(scopeOf(), event, { allowSelect: true })) return;
      const chosen = list[Number(event.key) - 1];
      if (!chosen) return;
      event.preventDefault();
      pick(chosen.id);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [active]);
}
