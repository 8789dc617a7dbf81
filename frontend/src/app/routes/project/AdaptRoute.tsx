import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { ModelPicker } from "@/components/ModelPicker";
import { Spinner } from "@/components/Spinner";
import { formatTotal, plural, trainedOn } from "@/lib/format";
import { useRoleGate } from "@/lib/roles";
import { RoutineForm } from "@/features/adapt/components/RoutineForm";
import { parseRoutine, routineValues, type RoutineValues } from "@/features/adapt/utils/routine";
import { useImages } from "@/features/images/api/list-images";
import { useCreateJob } from "@/features/jobs/api/create-job";
import { useJobs } from "@/features/jobs/api/list-jobs";
import { JobProgress } from "@/features/jobs/components/JobProgress";
import { useModel } from "@/features/models/api/get-model";
import { useModels } from "@/features/models/api/list-models";
import { useTrainingData } from "@/features/review/api/review-actions";
import { useProjectContext } from "./ProjectLayout";

/** Choose a base model and update routine; start Adapt or Iterate; follow the job live. */
export function AdaptRoute() {
  const { project } = useProjectContext();
  const [params, setParams] = useSearchParams();
  const models = useModels(project.id);
  const [chosen, setChosen] = useState<number | null>(null);
  // Where adaptation starts: a shipped base initialization (the default), or the project's
  // current model, continued.
  const [startFrom, setStartFrom] = useState<"base" | "current">("base");
  const shipped = useMemo(() => (models.data ?? []).filter((m) => m.project_id == null), [models.data]);
  const current = (models.data ?? []).find((m) => m.is_current && m.project_id != null) ?? null;
  const fallback = (shipped.find((m) => m.is_default) ?? shipped[0])?.id ?? null;
  const baseId = startFrom === "current" && current ? current.id : (chosen ?? fallback);
  const base = useModel(project.id, baseId);
  const [values, setValues] = useState<RoutineValues | null>(null);
  // The routine starts from the chosen model's preset when the choice changes, not each time the
  // model list is fetched again (a finished job refreshes it): the user's edits stay.
  const presetOf = base.data ? `${base.data.id}` : null;
  useEffect(() => {
    if (base.data) setValues(routineValues(base.data.preset));
  }, [presetOf]);

  // Adapt trains on the adapt pool's complete images only (an in-progress image's unboxed objects
  // must not be learned as background); Iterate detects on those not complete; evaluate scores
  // complete holdout images.
  const completeAdapt = useImages(project.id, { pool: "adapt", state: "complete", limit: 1 });
  const inProgressAdapt = useImages(project.id, { pool: "adapt", state: "in_progress", limit: 1 });
  const unlabelledAdapt = useImages(project.id, { pool: "adapt", state: "unlabelled", limit: 1 });
  const completeHoldout = useImages(project.id, { pool: "holdout", state: "complete", limit: 1 });
  // counts stop at the server's cap ("10,000+"): a sum with a capped part is capped too
  const count = (page?: { total: number; total_exact?: boolean }) => (page ? formatTotal(page.total, page.total_exact ?? true) : undefined);
  const notComplete = unlabelledAdapt.data && inProgressAdapt.data ? formatTotal(unlabelledAdapt.data.total + inProgressAdapt.data.total, (unlabelledAdapt.data.total_exact ?? true) && (inProgressAdapt.data.total_exact ?? true)) : undefined;
  // what the next adaptation trains on, accepted predictions included (they become annotations)
  const training = useTrainingData(project.id);
  const loopJobs = useJobs(project.id, { limit: 20 });
  const create = useCreateJob(project.id);
  const startGate = useRoleGate("startJobs");

  const requested = params.get("job");
  const latest = loopJobs.data?.find((j) => j.kind === "iterate" || j.kind === "adapt");
  const jobId = requested ? Number(requested) : (latest?.id ?? null);
  const check = values ? parseRoutine(values) : null;

  const start = (kind: "adapt" | "iterate") => {
    if (!check?.routine || baseId == null) return;
    create.mutate({ kind, params: { model_id: baseId, routine: check.routine } }, { onSuccess: (job) => setParams({ job: String(job.id) }) });
  };
  const job = jobId != null ? loopJobs.data?.find((j) => j.id === jobId) : undefined;
  const running = job ? !["succeeded", "failed", "cancelled"].includes(job.state) : false;

  return (
    <div className="adapt two-columns">
      <section aria-labelledby="adapt-setup">
        <h2 id="adapt-setup">Adapt the detector</h2>
        <p className="muted">
          Training set: <strong>{count(completeAdapt.data) ?? "…"}</strong> complete images in the adapt pool
          {training.data && <span data-testid="adapt-training-boxes"> with <strong>{plural(training.data.boxes, "box", "boxes")}</strong> ({plural(training.data.accepted_boxes, "accepted prediction")})</span>}
          {(inProgressAdapt.data?.total ?? 0) > 0 && <> ({count(inProgressAdapt.data)} in progress are not trained on until marked complete)</>} ·
          evaluation: <strong>{count(completeHoldout.data) ?? "…"}</strong> complete holdout images ·
          Iterate labels the <strong>{notComplete ?? "…"}</strong> adapt images not complete yet.
        </p>
        {models.isError && <ErrorMessage error={models.error} title="Could not load models" />}
        <fieldset className="start-point" disabled={create.isPending}>
          <legend>Start from</legend>
          <label className="inline">
            <input type="radio" name="start-from" value="base" checked={startFrom === "base" || !current} onChange={() => setStartFrom("base")} />
            the base initialization (each run starts afresh)
          </label>
          <label className="inline">
            <input type="radio" name="start-from" value="current" checked={startFrom === "current" && current != null} disabled={!current} aria-describedby="start-current-note" onChange={() => setStartFrom("current")} />
            continue from the current model{current ? ` (${current.name})` : ""}
          </label>
          <span id="start-current-note" className="small muted">
            {current ? "Continuing keeps what the last runs learned; it can also carry their mistakes on." : "No adapted model is current yet: run Adapt or Iterate once first."}
          </span>
          {models.data && (startFrom === "base" || !current) && <ModelPicker models={shipped} value={baseId} onChange={setChosen} label="Base initialization" />}
        </fieldset>
        {base.data && (
          <p className="small muted">
            {base.data.name}: {base.data.architecture}, {base.data.algorithm}, {trainedOn(base.data.classes.map(String))} The routine below starts from its card's preset.
          </p>
        )}
        {base.isError && <ErrorMessage error={base.error} title="Could not load the model card" />}
        {base.isPending && baseId != null && <Spinner label="Loading the model card…" />}
        {values && <RoutineForm values={values} onChange={setValues} disabled={create.isPending} />}
        {check && check.errors.length > 0 && (
          <ul className="error-message" role="alert">{check.errors.map((e) => <li key={e}>{e}</li>)}</ul>
        )}
        <div className="row">
          <button type="button" onClick={() => start("adapt")} disabled={!check?.routine || create.isPending} {...startGate.control}>Adapt</button>
          <button type="button" className="button--primary" onClick={() => start("iterate")} disabled={!check?.routine || create.isPending} {...startGate.control}>
            Iterate (adapt → detect → evaluate)
          </button>
          {values && base.data && <button type="button" className="button--link" onClick={() => setValues(routineValues(base.data.preset))}>Reset to preset</button>}
        </div>
        {startGate.note}
        <ErrorMessage error={create.error} title="Could not start the job" />
      </section>
      <section aria-labelledby="adapt-job">
        <h2 id="adapt-job">{job?.state === "queued" ? "Waiting for a worker" : running ? "Running" : "Latest run"}</h2>
        {create.isPending && <Spinner label="Starting the job…" />}
        {jobId == null ? (
          <p className="empty">No adapt or iterate job yet.</p>
        ) : (
          <>
            <JobProgress projectId={project.id} jobId={jobId} />
            {job?.state === "succeeded" && (
              <p className="row">
                {job.kind === "iterate" && <Link to={`/projects/${project.id}/review?job=${job.id}`} className="button button--primary">Review predictions</Link>}
                <Link to={`/projects/${project.id}/evaluate`} className="button">Evaluate</Link>
                <Link to={`/projects/${project.id}/timeline`} className="button">Loop timeline</Link>
              </p>
            )}
          </>
        )}
      </section>
    </div>
  );
}
