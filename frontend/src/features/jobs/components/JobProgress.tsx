import { LineChart } from "@/components/charts/LineChart";
import { ErrorMessage } from "@/components/ErrorMessage";
import { ProgressBar } from "@/components/ProgressBar";
import { Spinner } from "@/components/Spinner";
import { StateBadge } from "@/components/StateBadge";
import { adaptationOutcome, describeAdaptation } from "@/lib/adaptation";
import { formatMetric, formatSeconds, formatTime } from "@/lib/format";
import { useRoleGate } from "@/lib/roles";
import { useCancelJob } from "../api/cancel-job";
import { useJob } from "../api/get-job";
import { useStartModel } from "../api/get-start-model";
import { QueuePosition } from "./QueuePosition";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const STAGES = ["queue_wait", "generate", "adapt", "detect", "evaluate", "export_onnx", "total"] as const;

/** A job as it runs: progress, stage, the live loss curve, stage timings, cancel; and when done,
 * what it produced. */
export function JobProgress({ projectId, jobId, compact = false }: { projectId: number; jobId: number; compact?: boolean }) {
  const job = useJob(projectId, jobId);
  const cancel = useCancelJob(projectId);
  const cancelGate = useRoleGate("cancelJobs");
  const adapts = job.data?.kind === "adapt" || job.data?.kind === "iterate";
  const start = useStartModel(projectId, adapts ? job.data?.model_id : null);
  if (job.isPending) return <Spinner label={`Loading job ${jobId}…`} />;
  if (job.isError) return <ErrorMessage error={job.error} title={`Could not load job ${jobId}`} />;
  const data = job.data;
  const running = !FINISHED.has(data.state);
  const adaptTask = data.tasks.find((t) => t.kind === "adapt");
  const loss = (adaptTask?.loss_points ?? []) as [number, number][];
  const metrics = (data.result?.metrics ?? null) as Record<string, number | null> | null;
  const adaptation = adaptationOutcome(data.result);
  const adaptationText = describeAdaptation(adaptation);
  const promoted = data.result?.promoted;
  const timings = data.timings as Record<string, number>;
  return (
    <section className="job-progress" aria-label={`Job ${data.id}`} data-testid="job-progress" data-state={data.state}>
      <header className="row">
        <h3>
          {data.kind} job #{data.id}
        </h3>
        <StateBadge state={data.state} />
        <span className="muted">{data.started_at ? `started ${formatTime(data.started_at)}` : `submitted ${formatTime(data.created_at)}`}</span>
        {running && (
          <button type="button" onClick={() => cancel.mutate(data.id)} disabled={cancel.isPending} {...cancelGate.control}>
            {cancel.isPending ? "Cancelling…" : "Cancel"}
          </button>
        )}
        {running && cancelGate.note}
      </header>
      <ProgressBar value={data.progress} label={`Progress of job ${data.id}`} />
      <p className="stage" aria-live="polite" data-testid="job-stage">
        Stage: <strong>{data.stage || data.state}</strong>
      </p>
      {data.state === "queued" && <QueuePosition projectId={projectId} jobId={data.id} />}
      {adapts && start.data && (
        <p className="small" data-testid="job-start-point">
          {start.data.project_id == null ? (
            <>Starting point: the base initialization <strong>{start.data.name}</strong>.</>
          ) : (
            <>Starting point: this project&apos;s model <strong>{start.data.name}</strong> (continued from it, not from the base initialization).</>
          )}
        </p>
      )}
      {data.error && <div className="error-message" role="alert">{data.error}</div>}
      {!compact && loss.length > 0 && (
        <LineChart title={running ? "Adaptation loss (live)" : "Adaptation loss"} xLabel="adaptation step" yLabel="loss (log scale)" series={[{ name: "loss", color: "#2563eb", points: loss }]} logY />
      )}
      <dl className="timings">
        {STAGES.filter((s) => typeof timings[s] === "number").map((s) => (
          <div key={s}>
            <dt>{s === "queue_wait" ? "waiting for a worker" : s === "export_onnx" ? "ONNX export" : s}</dt>
            <dd>{formatSeconds(timings[s])}</dd>
          </div>
        ))}
      </dl>
      {adaptationText && (
        <p className={adaptation.diverged ? "error-message" : "small"} data-testid="job-adaptation" role={adaptation.diverged ? "alert" : undefined}>{adaptationText}</p>
      )}
      {metrics && (
        <p className="result" data-testid="job-ap50">
          Holdout AP50 <strong>{formatMetric(metrics.AP50)}</strong> · AP {formatMetric(metrics.AP)} · AP75 {formatMetric(metrics.AP75)} · AP small {formatMetric(metrics.APs)} · medium {formatMetric(metrics.APm)} · large {formatMetric(metrics.APl)}
        </p>
      )}
      {typeof promoted === "boolean" && data.state === "succeeded" && (data.kind === "adapt" || data.kind === "iterate" || promoted) && (
        <p className="small" data-testid="job-promoted">
          {promoted
            ? "Its model is now the project's current model (detect and evaluate use it)."
            : adaptation.diverged
              ? "Its model did not become current (the adaptation diverged); the current model is unchanged."
              : "Its model did not become current: its holdout AP50 is lower than the current model's. Make it current on the Models page if you prefer it."}
        </p>
      )}
      {typeof data.result?.predictions === "number" && <p className="small">{String(data.result.predictions)} predictions stored.</p>}
      {!compact && data.tasks.length > 1 && (
        <details>
          <summary>{data.tasks.length} tasks</summary>
          <table className="table small">
            <thead><tr><th scope="col">Task</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Worker</th><th scope="col">Attempt</th></tr></thead>
            <tbody>
              {data.tasks.map((t) => (
                <tr key={t.id}><td>{t.id}</td><td>{t.kind}</td><td><StateBadge state={t.state} /></td><td>{Math.round(t.progress * 100)}%</td><td>{t.worker_name ?? "–"}</td><td>{t.attempt}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
