// Who is signed in, kept in localStorage so a reload keeps the view; components subscribe with
// useAuth() (useSyncExternalStore). The session itself is the server's HttpOnly cookie: no
// script, this one included, can read the token (docs/architecture.md, "Security").
import { useSyncExternalStore } from "react";

export type SessionUser = { id: number; username: string; is_admin: boolean };
export type AuthSession = { user: SessionUser };

const STORAGE_KEY = "metaloop.session";
const listeners = new Set<() => void>();

function read(): AuthSession | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as AuthSession & { token?: string }) : null;
    if (parsed?.token !== undefined) {
      // a session of an older client kept its token here: drop it (sign in again for a cookie)
      globalThis.localStorage?.removeItem(STORAGE_KEY);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
}

let current: AuthSession | null = read();

export const authStore = {
  get: (): AuthSession | null => current,
  set(session: AuthSession | null): void {
    current = session;
    try {
      if (session) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(session));
      else globalThis.localStorage?.removeItem(STORAGE_KEY);
    } catch {
      // storage may be unavailable (private mode): the session then lives in memory only
    }
    listeners.forEach((listener) => listener());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useAuth(): AuthSession | null {
  return useSyncExternalStore(authStore.subscribe, authStore.get, authStore.get);
}
