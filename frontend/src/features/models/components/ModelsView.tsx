import { useState } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { formatMetric, trainedOn } from "@/lib/format";
import { useRoleGate } from "@/lib/roles";
import { useDownloadWeights } from "../api/download-weights";
import { useLineage } from "../api/get-lineage";
import { useModels } from "../api/list-models";
import { usePromoteModel } from "../api/promote-model";
import { OnnxCard } from "./OnnxCard";
import { OnnxExport } from "./OnnxExport";
import { adaptationOutcome, describeAdaptation } from "@/lib/adaptation";
import { fieldLabel, valueLabel } from "@/lib/field-labels";

type Model = Schemas["ModelOut"];

const holdout = (m: Model) => (m.metrics?.holdout as Record<string, number | null> | undefined) ?? {};
/** Whether a model has been evaluated on the holdout pool (an AP of 0.000 would say it was). */
const evaluated = (m: Model) => Object.keys(holdout(m)).length > 0;

/** The models of a project with their lineage: base, training set, update routine, metrics. The
 * current model (what detect and evaluate use) is marked; another can be made current. A new
 * model becomes current by itself when its holdout AP50 is not lower than the current one's. */
export function ModelsView({ projectId, onOpenJob }: { projectId: number; onOpenJob: (jobId: number) => void }) {
  const models = useModels(projectId);
  const promote = usePromoteModel(projectId);
  const promoteGate = useRoleGate("promote");
  const exportGate = useRoleGate("startJobs");
  const [chosen, setChosen] = useState<number | null>(null);
  if (models.isPending) return <Spinner label="Loading models…" />;
  if (models.isError) return <ErrorMessage error={models.error} title="Could not load models" />;
  const ordered = [...models.data].sort((a, b) => (a.project_id == null ? 1 : 0) - (b.project_id == null ? 1 : 0) || b.id - a.id);
  const selected = chosen ?? ordered[0]?.id ?? null;
  return (
    <div className="two-columns" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 48rem), 1fr))" }}>
      <table className="table" aria-label="Models">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Origin</th><th scope="col">Algorithm</th><th scope="col">AP50 (holdout)</th><th scope="col">Created</th><th scope="col">Current{promoteGate.note}</th><th scope="col">ONNX{exportGate.note}</th></tr>
        </thead>
        <tbody>
          {ordered.map((m) => {
            const outcome = adaptationOutcome(m.metrics);
            return (
              <tr key={m.id} aria-selected={m.id === selected} className={m.id === selected ? "row--selected" : undefined} data-testid="model-row" data-model-id={m.id} data-current={m.is_current ? "true" : undefined}>
                <td>
                  <button type="button" className="button--link" onClick={() => setChosen(m.id)}>{m.name}</button>{" "}
                  {outcome.diverged && <span className="badge badge--diverged" title={describeAdaptation(outcome) ?? undefined}>diverged</span>}
                </td>
                <td>{m.project_id == null ? "shipped" : "adapted here"}{m.is_default ? " (this project's base)" : ""}</td>
                <td>{m.algorithm}</td>
                <td data-testid="model-ap50">{evaluated(m) ? formatMetric(holdout(m).AP50) : <span className="muted">not evaluated</span>}</td>
                <td>{new Date(m.created_at).toLocaleString()}</td>
                <td>
                  {m.is_current ? (
                    <span className="badge badge--current" title="What detect and evaluate use">current</span>
                  ) : (
                    <button type="button" onClick={() => promote.mutate(m.id)} disabled={promote.isPending} title={outcome.diverged ? "Its adaptation diverged: check its metrics first" : "Detect and evaluate will use this model"} {...promoteGate.control}>
                      Make <span className="visually-hidden">{m.name} </span>current
                    </button>
                  )}
                </td>
                <td>
                  <OnnxExport projectId={projectId} model={m} gate={exportGate} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {selected != null && (
        <div>
          <Lineage projectId={projectId} modelId={selected} onOpenJob={onOpenJob} />
          <OnnxCard key={selected} projectId={projectId} modelId={selected} />
        </div>
      )}
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
                <span className="muted">{m.architecture} · {m.algorithm}{m.classes.length > 0 ? ` · ${m.classes.length} ${m.classes.length === 1 ? "class" : "classes"}` : ""}</span>
                <button type="button" onClick={() => download.mutate({ modelId: m.id, name: m.name })} disabled={download.isPending}>
                  Download weights
                </button>
              </div>
              {m.is_current && <p className="small"><span className="badge badge--current">current</span> detect and evaluate use this model.</p>}
              {describeAdaptation(adaptationOutcome(m.metrics)) && (
                <p className={adaptationOutcome(m.metrics).diverged ? "small error-message" : "small"} data-testid="adaptation-outcome">{describeAdaptation(adaptationOutcome(m.metrics))}</p>
              )}
              {m.source_job_id != null && (
                <p className="small">Made by <button type="button" className="button--link" onClick={() => onOpenJob(m.source_job_id!)}>job {m.source_job_id}</button></p>
              )}
              {Object.keys(training).length > 0 && <p className="small">Training set: {describeTrainingSet(training)}</p>}
              {Object.keys(m.routine ?? {}).length > 0 && <p className="small" data-testid="lineage-routine">Update routine: {describeRoutine(m.routine)}</p>}
              {Object.keys(metrics).length === 0 && <p className="small">Holdout: <span className="muted">not evaluated</span></p>}
              {Object.keys(metrics).length > 0 && <p className="small">Holdout: AP {formatMetric(metrics.AP)} · AP50 {formatMetric(metrics.AP50)} · AP75 {formatMetric(metrics.AP75)} · AP small {formatMetric(metrics.APs)} · medium {formatMetric(metrics.APm)} · large {formatMetric(metrics.APl)}</p>}
              <p className="small muted">{m.project_id == null ? `Shipped, ${trainedOn(m.classes.map(String))}` : `Classes: ${m.classes.map(String).join(", ")}`}</p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function describe(values: Record<string, unknown>, label: (key: string) => string = (key) => key): string {
  return Object.entries(values)
    .map(([k, v]) => `${label(k)} ${Array.isArray(v) ? (v.length > 8 ? `${v.length} items` : v.join(", ")) : typeof v === "object" && v ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

/** An update routine in the Adapt form's words (Layers trained class layer only, not
 * train_layers classifier). */
function describeRoutine(routine: Record<string, unknown>): string {
  return Object.entries(routine)
    .map(([k, v]) => `${fieldLabel(k)}: ${typeof v === "string" ? valueLabel(k, v) : Array.isArray(v) ? v.join(", ") : typeof v === "boolean" ? (v ? "yes" : "no") : String(v)}`)
    .join(" · ");
}

const TRAINING_SET_WORDS: Record<string, string> = {
  num_images: "images",
  num_complete: "complete",
  num_annotations: "boxes",
  per_class: "boxes per class",
  image_ids: "image ids",
  command: "command",
  data_seed: "data seed",
};

function describeTrainingSet(training: Record<string, unknown>): string {
  return describe(training, (key) => TRAINING_SET_WORDS[key] ?? key);
}
