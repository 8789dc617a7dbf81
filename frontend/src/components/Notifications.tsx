import { notifications, useNotifications } from "@/lib/notifications";

/** Errors of actions (and a few notices), kept on screen until dismissed. */
export function Notifications() {
  const notices = useNotifications();
  return (
    <div className="notifications" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice--${notice.kind}`} role={notice.kind === "info" ? "status" : "alert"} data-testid={`notice-${notice.kind}`}>
          <span>{notice.text}</span>
          <button type="button" className="button--ghost" onClick={() => notifications.dismiss(notice.id)} aria-label="Dismiss message">✕</button>
        </div>
      ))}
    </div>
  );
}
