import { useEffect, useMemo } from "react";
import { useSearchParams } from "react-router";
import { LineChart, type Series } from "@/components/charts/LineChart";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { formatChange, formatMetric } from "@/lib/format";
import { useRoleGate } from "@/lib/roles";
import { useCreateJob } from "@/features/jobs/api/create-job";
import { useJob } from "@/features/jobs/api/get-job";
import { useModels } from "@/features/models/api/list-models";
import { ModelPicker } from "@/components/ModelPicker";
import { useAdaptationCurve } from "../api/get-adaptation-curve";
import { useMetrics } from "../api/list-metrics";
import { EvaluationImages } from "./EvaluationImages";
import { COCO_ROWS, checkpointSeries, latestEvaluation, type Evaluation } from "../utils/evaluation";

type LabelClass = Schemas["LabelClassOut"];
const COMPARE_COLOR = "#888";

/** COCO metrics on the holdout pool, per class, PR curves, AP50 against adaptation steps, two
 * model versions side by side, and the evaluation image by image (tp/fp/fn drawn). A metric that
 * does not apply (e.g. AP small with no small ground-truth box) shows as —. */
export function EvaluateView({ projectId, classes, onJobStarted }: { projectId: number; classes: LabelClass[]; onJobStarted: (jobId: number) => void }) {
  const models = useModels(projectId);
  const evaluated = useMemo(() => (models.data ?? []).filter((m) => m.metrics?.holdout).sort((a, b) => b.id - a.id), [models.data]);
  // The models picked live in the URL (?model=…&compare=…), and are remembered for the project,
  // so that leaving the page (e.g. to watch an evaluation run) and coming back restores them.
  const [search, setSearch] = useSearchParams();
  const picked = pickedModels(search, projectId);
  const first = picked.model;
  const second = picked.compare;
  const pick = (key: "model" | "compare", id: number | null) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      if (!next.has("model") && !next.has("compare")) {
        if (picked.model != null) next.set("model", String(picked.model));
        if (picked.compare != null) next.set("compare", String(picked.compare));
      }
      if (id == null) next.delete(key);
      else next.set(key, String(id));
      return next;
    }, { replace: true });
  useEffect(() => rememberPicks(projectId, search), [projectId, search]);
  // By default the latest evaluated model (the pickers mark which one is current), else the
  // current one.
  const a = first ?? evaluated[0]?.id ?? (models.data ?? []).find((m) => m.is_current)?.id ?? (models.data ?? [])[0]?.id ?? null;
  const b = second;
  const metricsA = useMetrics(projectId, a);
  const metricsB = useMetrics(projectId, b);
  const curveA = useAdaptationCurve(projectId, a);
  const curveB = useAdaptationCurve(projectId, b);
  const evaluate = useCreateJob(projectId);
  const startGate = useRoleGate("startJobs");
  const evalA = metricsA.data ? latestEvaluation(metricsA.data.metrics, metricsA.data.pr_curves) : null;
  // the evaluation job says which max-detections value its numbers were counted at
  const evaluationJob = useJob(projectId, evalA?.jobId ?? null);

  if (models.isPending) return <Spinner label="Loading models…" />;
  if (models.isError) return <ErrorMessage error={models.error} title="Could not load models" />;
  const evalB = metricsB.data ? latestEvaluation(metricsB.data.metrics, metricsB.data.pr_curves) : null;
  const nameOf = (id: number | null) => models.data.find((m) => m.id === id)?.name ?? "–";
  const colorOf = new Map(classes.map((c) => [c.id, c.color]));

  const runEvaluate = (modelId: number | null) =>
    modelId != null && evaluate.mutate({ kind: "evaluate", params: { model_id: modelId } }, { onSuccess: (job) => onJobStarted(job.id) });

  return (
    <div className="evaluate">
      <div className="filter-bar" role="group" aria-label="Models to compare">
        <ModelPicker models={models.data} value={a} onChange={(id) => pick("model", id)} label="Model" />
        <ModelPicker models={models.data} value={b} onChange={(id) => pick("compare", id)} label="Compare with" allowNone />
      </div>
      <ErrorMessage error={metricsA.error ?? metricsB.error} title="Could not load metrics" />
      {[[a, evalA], [b, evalB]].map(([id, ev]) =>
        id != null && !ev && !(id === a ? metricsA.isPending : metricsB.isPending) ? (
          <p key={String(id)} className="notice-inline">
            {nameOf(id as number)} has not been evaluated on the holdout pool.{" "}
            <button type="button" onClick={() => runEvaluate(id as number)} disabled={evaluate.isPending} {...startGate.control}>Evaluate it now</button>
          </p>
        ) : null,
      )}
      {startGate.note}
      <section aria-labelledby="coco-title">
        <h3 id="coco-title">COCO metrics on the holdout pool</h3>
        <table className="table table--numbers" data-testid="coco-table">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">{nameOf(a)}{a != null && !evalA && !metricsA.isPending && <NotEvaluated />}</th>
              {b != null && <th scope="col">{nameOf(b)}{!evalB && !metricsB.isPending && <NotEvaluated />}</th>}
              {b != null && <th scope="col">Δ</th>}
            </tr>
          </thead>
          <tbody>
            {COCO_ROWS.map((row) => {
              const va = evalA?.overall[row.name];
              const vb = evalB?.overall[row.name];
              return (
                <tr key={row.name}>
                  <th scope="row">{row.label}</th>
                  <td title={notApplicable(evalA, va)}>{formatMetric(va)}</td>
                  {b != null && <td title={notApplicable(evalB, vb)}>{formatMetric(vb)}</td>}
                  {b != null && <td>{formatChange(va, vb)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
        <MaxDetections value={evaluationJob.data?.result?.max_detections} />
      </section>
      <PerClassTable evalA={evalA} evalB={b != null ? evalB : null} nameA={nameOf(a)} nameB={nameOf(b)} />
      {evalA?.jobId != null && <EvaluationImages key={evalA.jobId} projectId={projectId} jobId={evalA.jobId} modelName={nameOf(a)} classes={classes} />}
      <div className="charts">
        {evalA && evalA.curves.length > 0 && (
          <LineChart title={`Precision–recall at IoU 0.5 (${nameOf(a)}${evalB ? `; grey: ${nameOf(b)}` : ""})`} xLabel="recall" yLabel="precision" xDomain={[0, 1]} yDomain={[0, 1]}
            series={[
              ...evalA.curves.map((c): Series => ({ name: c.class_name ?? String(c.class_id), color: colorOf.get(c.class_id ?? -1) ?? "#333", points: c.recall.map((r, i): [number, number] => [r, c.precision[i] ?? 0]) })),
              ...(evalB?.curves ?? []).map((c, index): Series => ({ name: index === 0 ? `${nameOf(b)} (all classes)` : `${c.class_name} (${nameOf(b)})`, color: COMPARE_COLOR, inLegend: index === 0, points: c.recall.map((r, i): [number, number] => [r, c.precision[i] ?? 0]) })),
            ]} />
        )}
        {(curveA.data?.checkpoints.length ?? 0) > 0 && (
          <LineChart title="AP50 against adaptation steps (checkpoints, holdout)" xLabel="adaptation steps" yLabel="AP50" yDomain={[0, 1]} markers
            series={[
              { name: nameOf(a), color: "#2563eb", points: checkpointSeries(curveA.data!.checkpoints, "AP50") },
              // the compared model only when it has checkpoints (a shipped model has none)
              ...(b != null && curveB.data && curveB.data.checkpoints.length > 0 ? [{ name: nameOf(b), color: COMPARE_COLOR, points: checkpointSeries(curveB.data.checkpoints, "AP50") }] : []),
            ]} />
        )}
        {(curveA.data?.loss_curve.length ?? 0) > 0 && (
          <LineChart title={`Adaptation loss of ${nameOf(a)}`} xLabel="step" yLabel="loss" logY series={[{ name: "loss", color: "#dc2626", points: curveA.data!.loss_curve as [number, number][] }]} />
        )}
      </div>
    </div>
  );
}

/** Which COCO max-detections value the first model's numbers were counted at (the evaluation
 * job says): 100 in COCO, more for a project of dense images. */
function MaxDetections({ value }: { value: unknown }) {
  if (typeof value !== "number") return null;
  return (
    <p className="muted small" data-testid="max-detections">
      AP and AR 100 count at most {value} detections per image{value > 100 ? " (COCO's 100, raised for this project's dense images)" : " (COCO's max detections)"}.
    </p>
  );
}

function NotEvaluated() {
  return <> <span className="badge" data-testid="not-evaluated">not evaluated</span></>;
}

const PICKS_KEY = (projectId: number) => `metaloop.evaluate.${projectId}`;

/** The models picked: from the URL, else the ones last picked in this project (this tab). */
function pickedModels(search: URLSearchParams, projectId: number): { model: number | null; compare: number | null } {
  const id = (value: string | null) => (value && /^\d+$/.test(value) ? Number(value) : null);
  if (search.has("model") || search.has("compare")) return { model: id(search.get("model")), compare: id(search.get("compare")) };
  try {
    const stored = new URLSearchParams(sessionStorage.getItem(PICKS_KEY(projectId)) ?? "");
    return { model: id(stored.get("model")), compare: id(stored.get("compare")) };
  } catch {
    return { model: null, compare: null };
  }
}

function rememberPicks(projectId: number, search: URLSearchParams): void {
  if (!search.has("model") && !search.has("compare")) return;
  try {
    const kept = new URLSearchParams();
    for (const key of ["model", "compare"]) if (search.get(key)) kept.set(key, search.get(key)!);
    sessionStorage.setItem(PICKS_KEY(projectId), kept.toString());
  } catch {
    // storage unavailable: the URL alone keeps the picks
  }
}

/** The tooltip of a metric an evaluation has no number for: it does not apply. */
function notApplicable(evaluation: Evaluation | null, value: number | null | undefined): string | undefined {
  return evaluation && (value == null || !Number.isFinite(value)) ? "Does not apply to this holdout (e.g. no ground-truth box in this size range)" : undefined;
}

function PerClassTable({ evalA, evalB, nameA, nameB }: { evalA: Evaluation | null; evalB: Evaluation | null; nameA: string; nameB: string }) {
  if (!evalA || evalA.perClass.length === 0) return null;
  const byClassB = new Map((evalB?.perClass ?? []).map((c) => [c.classId, c.values]));
  return (
    <section aria-labelledby="per-class-title">
      <h3 id="per-class-title">Per class</h3>
      <table className="table table--numbers">
        <thead>
          <tr><th scope="col">Class</th><th scope="col">AP ({nameA})</th><th scope="col">AP50 ({nameA})</th>{evalB && <th scope="col">AP50 ({nameB})</th>}</tr>
        </thead>
        <tbody>
          {evalA.perClass.map((c) => (
            <tr key={c.classId}>
              <th scope="row">{c.className}</th>
              <td>{formatMetric(c.values.AP)}</td>
              <td>{formatMetric(c.values.AP50)}</td>
              {evalB && <td>{formatMetric(byClassB.get(c.classId)?.AP50)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
