// The registry of keyboard shortcuts the `?` overlay lists. Whatever handles keys declares them
// here while it is mounted (useShortcuts), so the overlay shows the keys that work on the page
// as it is now, and nothing else.
import { useEffect, useSyncExternalStore } from "react";

/** One way to press a shortcut: a key ("D") or keys held together (["Ctrl", "Z"]). */
export type KeyCombo = string | readonly string[];
export type Shortcut = { keys: readonly KeyCombo[]; action: string };
/** Groups with the same id are listed once (e.g. two views of one canvas); lower order first. */
export type ShortcutGroup = { id: string; title: string; order?: number; shortcuts: readonly Shortcut[] };

type Entry = { group: ShortcutGroup; count: number };
const entries = new Map<string, Entry>();
const listeners = new Set<() => void>();
let snapshot: ShortcutGroup[] = [];

function changed(): void {
  snapshot = [...entries.values()].map((e) => e.group).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  listeners.forEach((listener) => listener());
}

export const shortcutRegistry = {
  /** Declare a group until the returned function is called. */
  register(group: ShortcutGroup): () => void {
    const entry = entries.get(group.id);
    entries.set(group.id, { group, count: (entry?.count ?? 0) + 1 });
    changed();
    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      const current = entries.get(group.id);
      if (!current) return;
      if (current.count <= 1) entries.delete(group.id);
      else entries.set(group.id, { ...current, count: current.count - 1 });
      changed();
    };
  },
  groups: (): ShortcutGroup[] => snapshot,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Declare `group` while the calling component is mounted (null: nothing). */
export function useShortcuts(group: ShortcutGroup | null): void {
  const key = group ? JSON.stringify(group) : null;
  useEffect(() => {
    if (!key) return;
    return shortcutRegistry.register(JSON.parse(key) as ShortcutGroup);
  }, [key]);
}

export function useShortcutGroups(): ShortcutGroup[] {
  return useSyncExternalStore(shortcutRegistry.subscribe, shortcutRegistry.groups, shortcutRegistry.groups);
}

/** "Ctrl+Shift+Z": a combo as text (for titles and screen readers). */
export function comboText(combo: KeyCombo): string {
  return typeof combo === "string" ? combo : combo.join("+");
}
