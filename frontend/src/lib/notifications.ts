// Messages for the person (mostly API errors of actions), shown by <Notifications/> until
// dismissed: an error is never dropped silently. A warning (e.g. a change of theirs that met
// someone else's and was not saved) stays too; only info goes away by itself.
import { useSyncExternalStore } from "react";

export type Notice = { id: number; kind: "error" | "warning" | "info"; text: string };

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

export const notifications = {
  push(kind: Notice["kind"], text: string): number {
    // The same message twice in a row (e.g. a retried request) is shown once.
    const last = notices[notices.length - 1];
    if (last && last.text === text && last.kind === kind) return last.id;
    const id = nextId++;
    notices = [...notices.slice(-4), { id, kind, text }];
    emit();
    if (kind === "info") setTimeout(() => notifications.dismiss(id), 5000);
    return id;
  },
  dismiss(id: number): void {
    notices = notices.filter((notice) => notice.id !== id);
    emit();
  },
  list: (): Notice[] => notices,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useNotifications(): Notice[] {
  return useSyncExternalStore(notifications.subscribe, notifications.list, notifications.list);
}
