import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { formatBytes, formatTime } from "@/lib/format";
import { queryKeys } from "@/lib/query-keys";
import { useFileUrl } from "@/lib/tickets";
import { useOnnxExports } from "../api/export-onnx";
import { useModel } from "../api/get-model";

/** The `onnx` section of a model's card (GET .../models/{id} → card.onnx): the newest succeeded
 * export's usage notes as the worker wrote them into the file, with where it downloads. Every
 * field may be missing from an older export: shown only when present. */
export type OnnxSection = {
  download?: string;
  job_id?: number;
  size?: number | null;
  exported_at?: string | null;
  opset?: number;
  input?: { name?: string; shape?: (string | number)[]; dtype?: string; layout?: string; channels?: string; normalisation?: string; mean?: number[]; std?: number[] };
  outputs?: Record<string, string>;
  classes?: string[];
  scale_mode?: string;
  input_size?: number;
  working_scale?: number | null;
  score_threshold?: number;
  nms_iou?: number;
  max_detections?: number;
  preprocessing?: string;
  postprocessing?: string;
  reference?: string;
};

const numbers = (values: number[] | undefined) => (values ?? []).map((v) => Number(v.toFixed(4))).join(", ");

/** How to use a model's ONNX file, from its card: input (name, shape, normalisation), outputs,
 * pre- and post-processing, classes by output index, and the download. `section` null: the model
 * has no finished export in this project yet. `downloadHref`: the download with a files ticket
 * ("" while the ticket is on its way). */
export function OnnxCardView({ section, downloadHref, modelName }: { section: OnnxSection | null; downloadHref: string; modelName?: string }) {
  if (section == null) {
    return (
      <section aria-label="ONNX" className="onnx-card" data-testid="onnx-card" data-state="none">
        <h3>ONNX</h3>
        <p className="small muted">Not exported to ONNX in this project yet: Export ONNX makes the file, and this card then says how to use it.</p>
      </section>
    );
  }
  const input = section.input ?? {};
  return (
    <section aria-label="ONNX" className="onnx-card" data-testid="onnx-card" data-state="exported">
      <h3>ONNX</h3>
      <p className="small">
        {section.job_id != null ? `From export job ${section.job_id}` : "Exported"}
        {section.exported_at ? `, ${formatTime(section.exported_at)}` : ""}
        {section.size != null ? ` · ${formatBytes(section.size)}` : ""}
        {section.opset != null ? ` · opset ${section.opset}` : ""}{" "}
        <a className="button" href={downloadHref || undefined} aria-disabled={!downloadHref} download>
          Download .onnx{modelName && <span className="visually-hidden"> of {modelName}</span>}
        </a>
      </p>
      <dl className="onnx-card__fields small">
        <dt>Input</dt>
        <dd data-testid="onnx-input">
          <code>{input.name ?? "?"}</code> {input.dtype ?? ""} {input.layout ?? ""} [{(input.shape ?? []).join(", ")}]{input.channels ? `, ${input.channels}` : ""}
        </dd>
        {input.normalisation && (
          <>
            <dt>Normalisation</dt>
            <dd data-testid="onnx-normalisation">
              <code>{input.normalisation}</code> with mean ({numbers(input.mean)}) and std ({numbers(input.std)})
            </dd>
          </>
        )}
        {section.preprocessing && (
          <>
            <dt>Before the graph</dt>
            <dd>{section.preprocessing}</dd>
          </>
        )}
        {section.outputs && (
          <>
            <dt>Outputs</dt>
            <dd>
              <ul className="onnx-card__outputs">
                {Object.entries(section.outputs).map(([name, meaning]) => (
                  <li key={name}>
                    <code>{name}</code>: {meaning}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {section.postprocessing && (
          <>
            <dt>After the graph</dt>
            <dd data-testid="onnx-postprocessing">{section.postprocessing}</dd>
          </>
        )}
        {section.classes && (
          <>
            <dt>Classes (label index)</dt>
            <dd data-testid="onnx-classes">{section.classes.map((name, index) => `${index} ${name}`).join(" · ")}</dd>
          </>
        )}
        {section.reference && (
          <>
            <dt>Reference code</dt>
            <dd>
              <code>{section.reference}</code>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** OnnxCardView for one model of the project, from its card; read again when an export of it
 * succeeds (the export jobs' list is live). */
export function OnnxCard({ projectId, modelId }: { projectId: number; modelId: number }) {
  const model = useModel(projectId, modelId);
  const exports = useOnnxExports(projectId);
  const fileUrl = useFileUrl(projectId);
  const client = useQueryClient();
  const newest = (exports.data ?? []).find((job) => job.model_id === modelId && job.state === "succeeded")?.id ?? null;
  const seen = useRef(newest);
  useEffect(() => {
    // a newer export succeeded while the card was shown: its `onnx` section changed
    if (newest !== seen.current) void client.invalidateQueries({ queryKey: queryKeys.model(projectId, modelId) });
    seen.current = newest;
  }, [client, projectId, modelId, newest]);
  if (model.isPending) return <Spinner label="Loading the model's card…" />;
  if (model.isError) return <ErrorMessage error={model.error} title="Could not load the model's card" />;
  const section = (model.data.card?.onnx as OnnxSection | undefined) ?? null;
  return <OnnxCardView section={section} downloadHref={section?.download ? fileUrl(section.download) : ""} modelName={model.data.name} />;
}
