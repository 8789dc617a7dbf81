import "../workers.css";
import { Link } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import type { Schemas } from "@/lib/api/client";
import { formatTime } from "@/lib/format";
import { useWorkers } from "../api/list-workers";

type Worker = Schemas["WorkerOut"];

/** What a worker is doing: offline since when, free, or its current task (and that task's job,
 * linked, when the job is in a project of yours). */
function WorkerState({ worker }: { worker: Worker }) {
  if (!worker.online) return <span className="small">offline since {formatTime(worker.last_seen)}</span>;
  if (worker.busy_task_id == null) return <span className="small">online, free</span>;
  const task = `${worker.busy_task_kind ?? "a"} task ${worker.busy_task_id}`;
  return (
    <span className="small" data-testid="worker-task">
      busy: {task}
      {worker.busy_job_id != null && worker.busy_project_id != null && (
        <>
          {" "}of{" "}
          <Link to={`/projects/${worker.busy_project_id}/jobs/${worker.busy_job_id}`}>
            {worker.busy_job_kind} job #{worker.busy_job_id}
          </Link>
        </>
      )}
    </span>
  );
}

export function WorkersPanel() {
  const workers = useWorkers();
  if (workers.isError) return <ErrorMessage error={workers.error} title="Workers" />;
  const list = workers.data ?? [];
  return (
    <ul className="worker-list" aria-label="Workers">
      {list.length === 0 && <li className="muted small">No worker has registered: jobs wait in the queue until one starts.</li>}
      {list.map((w) => {
        const state = !w.online ? "offline" : w.busy_task_id != null ? "busy" : "online";
        return (
          <li key={w.id} className="worker" data-testid="worker" data-state={state}>
            <span className={`dot dot--${state}`} aria-hidden="true" />
            <span className="worker__name">{w.name}</span>
            {(w.host || w.device) && <span className="muted small">{[w.host, w.device].filter(Boolean).join(" · ")}</span>}
            <WorkerState worker={w} />
          </li>
        );
      })}
    </ul>
  );
}
