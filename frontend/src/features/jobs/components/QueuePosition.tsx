import "../jobs.css";
import { formatSeconds, formatTime, plural } from "@/lib/format";
import { useJobQueue } from "../api/get-job-queue";

/** Why a queued job waits: its place in its lane's queue, the workers, and when it should start. */
export function QueuePosition({ projectId, jobId }: { projectId: number; jobId: number }) {
  const queue = useJobQueue(projectId, jobId, true);
  const q = queue.data;
  if (!q || !q.queued) return null;
  const lane = q.lane === "batch" ? "batch queue" : "interactive queue";
  const workers =
    q.workers_online === 0
      ? "No worker is online: it starts when one does."
      : `${plural(q.workers_online, "worker")} online, ${q.workers_free} free.`;
  return (
    <p className="queue-position" data-testid="job-queue" title={q.rule}>
      <span data-testid="job-queue-position">
        Position <strong>{q.position}</strong> in the {lane}
      </span>{" "}
      ({q.tasks_ahead === 0 ? "next to start" : `${plural(q.tasks_ahead, "task")} ahead`}). {workers}
      {q.estimated_wait_seconds != null && q.estimated_start_at && (
        <>
          {" "}
          <span data-testid="job-queue-estimate">
            Expected to start {q.estimated_wait_seconds < 1 ? "now" : <>in about {formatSeconds(q.estimated_wait_seconds)} (at {formatTime(q.estimated_start_at)})</>}
          </span>
          , from recent run times.
        </>
      )}
    </p>
  );
}
