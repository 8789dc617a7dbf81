import type { Schemas } from "@/lib/api/client";
import { ProgressBar } from "@/components/ProgressBar";
import type { RoleGate } from "@/lib/roles";
import { useFileUrl } from "@/lib/tickets";
import { onnxPath, useOnnxExports, useStartOnnxExport } from "../api/export-onnx";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
export type ExportJob = Pick<Schemas["JobOut"], "id" | "state" | "progress" | "stage" | "error">;

/** A model's ONNX export: Export ONNX (starts the job; disabled with the reason for viewers and
 * while an export runs), the running job's progress and stage, why it failed, and Download .onnx
 * once an export has succeeded (viewers may download). `downloadHref`: null without a finished export, "" while the
 * files ticket is on its way. */
export function OnnxExportControl({
  modelName,
  latest,
  downloadHref,
  starting,
  startError,
  onStart,
  gate,
}: {
  modelName: string;
  latest: ExportJob | null;
  downloadHref: string | null;
  starting: boolean;
  startError: string | null;
  onStart: () => void;
  /** useRoleGate("startJobs"), its note shown once by the caller (the table's header). */
  gate: RoleGate;
}) {
  const running = latest != null && !FINISHED.has(latest.state);
  return (
    <div className="row onnx-export" data-testid="onnx-export" data-state={latest?.state ?? "none"}>
      <button type="button" onClick={onStart} disabled={starting || running} {...gate.control}>
        {running ? "Exporting…" : "Export ONNX"}
        <span className="visually-hidden"> of {modelName}</span>
      </button>
      {running && latest && (
        <>
          <ProgressBar value={latest.progress} label={`ONNX export of ${modelName}`} />
          <span className="small" aria-live="polite" data-testid="onnx-stage">
            {latest.stage || latest.state}
          </span>
        </>
      )}
      {latest?.state === "failed" && (
        <span className="small error-message" role="alert">
          The export failed: {latest.error ?? "no reason given"}
        </span>
      )}
      {latest?.state === "cancelled" && <span className="small muted">The export was cancelled.</span>}
      {startError && (
        <span className="small error-message" role="alert">
          {startError}
        </span>
      )}
      {downloadHref != null && (
        <a className="button" href={downloadHref || undefined} aria-disabled={!downloadHref} download>
          Download .onnx<span className="visually-hidden"> of {modelName}</span>
        </a>
      )}
    </div>
  );
}

/** OnnxExportControl for one model of the project, fed by the project's export jobs. */
export function OnnxExport({ projectId, model, gate }: { projectId: number; model: { id: number; name: string }; gate: RoleGate }) {
  const exports = useOnnxExports(projectId);
  const start = useStartOnnxExport(projectId);
  const fileUrl = useFileUrl(projectId);
  const mine = (exports.data ?? []).filter((job) => job.model_id === model.id);
  const finished = mine.some((job) => job.state === "succeeded");
  return (
    <OnnxExportControl
      modelName={model.name}
      latest={mine[0] ?? null}
      downloadHref={finished ? fileUrl(onnxPath(projectId, model.id)) : null}
      starting={start.isPending}
      startError={start.error ? start.error.message : null}
      onStart={() => start.mutate(model.id)}
      gate={gate}
    />
  );
}
