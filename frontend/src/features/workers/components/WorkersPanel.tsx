import { ErrorMessage } from "@/components/ErrorMessage";
import { formatTime } from "@/lib/format";
import { useWorkers } from "../api/list-workers";

export function WorkersPanel() {
  const workers = useWorkers();
  if (workers.isError) return <ErrorMessage error={workers.error} title="Workers" />;
  const list = workers.data ?? [];
  return (
    <ul className="worker-list" aria-label="Workers">
      {list.length === 0 && <li className="muted small">No worker has registered: jobs wait in the queue until one starts.</li>}
      {list.map((w) => (
        <li key={w.id} className="worker" data-testid="worker">
          <span className={w.online ? "dot dot--online" : "dot dot--offline"} aria-hidden="true" />
          <span className="worker__name">{w.name}</span>
          <span className="muted small">{[w.host, w.device || "?"].filter(Boolean).join(" · ")}</span>
          <span className="small">{w.online ? (w.busy_task_id ? `online, busy (task ${w.busy_task_id})` : "online") : `offline since ${formatTime(w.last_seen)}`}</span>
        </li>
      ))}
    </ul>
  );
}
