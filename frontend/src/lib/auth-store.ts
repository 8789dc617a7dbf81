// The login token, kept in localStorage so a reload keeps the session; components subscribe
// with useAuth() (useSyncExternalStore), the API client reads it for every request.
import { useSyncExternalStore } from "react";

export type SessionUser = { id: number; username: string; is_admin: boolean };
export type AuthSession = { token: string; user: SessionUser };

const STORAGE_KEY = "metaloop.session";
const listeners = new Set<() => void>();

function read(): AuthSession | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as AuthSession) : null;
  } catch {
    return null;
  }
}

let current: AuthSession | null = read();

export const authStore = {
  get: (): AuthSession | null => current,
  token: (): string | null => current?.token ?? null,
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
