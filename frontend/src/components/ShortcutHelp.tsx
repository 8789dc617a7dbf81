import { Fragment, useEffect, useState } from "react";
import { useMatch } from "react-router";
import { isTypingTarget } from "@/lib/keys";
import { comboText, useShortcutGroups, useShortcuts, type KeyCombo, type ShortcutGroup } from "@/lib/shortcuts";
import { Dialog } from "./Dialog";

const EVERYWHERE: ShortcutGroup = {
  id: "everywhere",
  title: "Everywhere",
  order: 100,
  shortcuts: [
    { keys: ["?"], action: "Show or hide this list of shortcuts" },
    { keys: ["Esc"], action: "Close this list or a dialog" },
    { keys: ["Tab"], action: "Next control (Shift+Tab: previous)" },
  ],
};

function Combo({ combo }: { combo: KeyCombo }) {
  if (typeof combo === "string") return <kbd>{combo}</kbd>;
  return (
    <span className="key-combo">
      {combo.map((key, index) => (
        <Fragment key={key}>{index > 0 && "+"}<kbd>{key}</kbd></Fragment>
      ))}
    </span>
  );
}

/** The `?` overlay: every shortcut the page declares now (lib/shortcuts), with the ones that
 * work everywhere. Opened by `?` (when not typing) or its button; Esc closes it. Mounted once. */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const groups = useShortcutGroups();
  const tab = useMatch("/projects/:projectId/:tab/*")?.params.tab;
  useShortcuts(EVERYWHERE);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target, event.key)) return;
      event.preventDefault();
      setOpen((shown) => !shown);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const own = groups.filter((g) => g.id !== EVERYWHERE.id);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} aria-haspopup="dialog" title="Keyboard shortcuts (?)">
        <kbd aria-hidden="true">?</kbd> Shortcuts
      </button>
      <Dialog title="Keyboard shortcuts" open={open} onClose={() => setOpen(false)}>
        <div className="shortcut-help" data-testid="shortcut-help">
          {own.length === 0 && <p className="muted">{tab ? `The ${tab} page has` : "This page has"} no keys of its own.</p>}
          {[...own, ...groups.filter((g) => g.id === EVERYWHERE.id)].map((group) => (
            <section key={group.id} aria-labelledby={`shortcuts-${group.id}`}>
              <h3 id={`shortcuts-${group.id}`}>{group.title}</h3>
              <table className="table shortcut-table">
                <tbody>
                  {group.shortcuts.map((shortcut) => (
                    <tr key={shortcut.action}>
                      <th scope="row">
                        {shortcut.keys.map((combo, index) => (
                          <Fragment key={comboText(combo)}>{index > 0 && <span className="muted"> or </span>}<Combo combo={combo} /></Fragment>
                        ))}
                      </th>
                      <td>{shortcut.action}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </Dialog>
    </>
  );
}
