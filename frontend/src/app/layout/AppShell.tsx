import { Link, Outlet } from "react-router";
import { ShortcutHelp } from "@/components/ShortcutHelp";
import { useAuth } from "@/lib/auth-store";
import { useLiveStatus } from "@/lib/live-events";
import { useSignOut } from "@/features/auth/api/sign-out";
import { Sidebar } from "./Sidebar";

const LIVE_TEXT = { live: "live", connecting: "connecting…", polling: "polling (live updates off)" } as const;

export function AppShell() {
  const session = useAuth();
  const signOut = useSignOut();
  const live = useLiveStatus();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to="/" className="brand">MetaLoop</Link>
        <span className={`live live--${live}`} title="Job and worker updates" role="status">● {LIVE_TEXT[live]}</span>
        <span className="grow" />
        <ShortcutHelp />
        <span className="muted">{session?.user.username}{session?.user.is_admin ? " (admin)" : ""}</span>
        <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>Sign out</button>
      </header>
      <div className="shell__body">
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
        <Sidebar />
      </div>
    </div>
  );
}
