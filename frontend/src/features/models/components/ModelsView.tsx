import { useState } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { formatMetric } from "@/lib/format";
import { useDownloadWeights } from "../api/download-weights";
import { useLineage } from "../api/get-lineage";
import { useModels } from "../api/list-models";

type Model = Schemas["ModelOut"];

const holdout = (m: Model) => (m.metrics?.holdout as Record<string, number> | undefined) ?? {};

/** The models of a project with their lineage: base, training set, update routine, metrics. */
export function ModelsView({ projectId, onOpenJob }: { projectId: number; onOpenJob: (jobId: number) => void }) {
  const models = useModels(projectId);
  const [chosen, setChosen] = useState<number | null>(null);
  if (models.isPending) return <Spinner label="Loading models…" />;
  if (models.isError) return <ErrorMessage error={models.error} title="Could not load models" />;
  const ordered = [...models.data].sort((a, b) => (a.project_id == null ? 1 : 0) - (b.project_id == null ? 1 : 0) || b.id - a.id);
  const selected = chosen ?? ordered[0]?.id ?? null;
  return (
    <div className="two-columns">
      <table className="table" aria-label="Models">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Origin</th><th scope="col">Algorithm</th><th scope="col">AP50 (holdout)</th><th scope="col">Created</th></tr>
        </thead>
        <tbody>
          {ordered.map((m) => (
            <tr key={m.id} aria-selected={m.id === selected} className={m.id === selected ? "row--selected" : undefined}>
              <td><button type="button" className="button--link" onClick={() => setChosen(m.id)}>{m.name}</button></td>
              <td>{m.project_id == null ? "shipped" : "adapted here"}{m.is_default ? " (default)" : ""}</td>
              <td>{m.algorithm}</td>
              <td>{formatMetric(holdout(m).AP50)}</td>
              <td>{new Date(m.created_at).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected != null && <Lineage projectId={projectId} modelId={selected} onOpenJob={onOpenJob} />}
    </div>
  );
}

function Lineage({ projectId, modelId, onOpenJob }: { projectId: number; modelId: number; onOpenJob: (jobId: number) => void }) {
  const lineage = useLineage(projectId, modelId);
  const download = useDownloadWeights(projectId);
  if (lineage.isPending) return <Spinner label="Loading lineage…" />;
  if (lineage.isError) return <ErrorMessage error={lineage.error} title="Could not load the lineage" />;
  return (
    <section aria-label="Lineage" className="lineage">
      <h3>Lineage (newest first)</h3>
      <ol>
        {lineage.data.map((m) => {
          const training = m.training_set ?? {};
          const metrics = holdout(m);
          return (
            <li key={m.id} className="lineage__step">
              <div className="row">
                <strong>{m.name}</strong>
                <span className="muted">{m.architecture} · {m.algorithm} · {m.classes.length} classes</span>
                <button type="button" onClick={() => download.mutate({ modelId: m.id, name: m.name })} disabled={download.isPending}>
                  Download weights
                </button>
              </div>
              {m.source_job_id != null && (
                <p className="small">Made by <button type="button" className="button--link" onClick={() => onOpenJob(m.source_job_id!)}>job {m.source_job_id}</button></p>
              )}
              {Object.keys(training).length > 0 && <p className="small">Training set: {describe(training)}</p>}
              {Object.keys(m.routine ?? {}).length > 0 && <p className="small">Update routine: {describe(m.routine)}</p>}
              {Object.keys(metrics).length > 0 && <p className="small">Holdout: AP {formatMetric(metrics.AP)} · AP50 {formatMetric(metrics.AP50)} · AP75 {formatMetric(metrics.AP75)}</p>}
              <p className="small muted">Classes: {m.classes.map(String).join(", ")}</p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function describe(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? (v.length > 8 ? `${v.length} items` : v.join(", ")) : typeof v === "object" && v ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}
