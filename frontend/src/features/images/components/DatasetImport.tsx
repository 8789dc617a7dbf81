import { useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { JobProgress } from "@/features/jobs/components/JobProgress";
import { useImportDataset, useImportOutcome } from "../api/import-dataset";
import { describeReport, ImportRefusedError, type DatasetFormat, type ImportProblem } from "../utils/dataset";

/** The problems of a refused import, each naming its item (file, line or annotation id). */
export function ImportProblems({ problems, count }: { problems: ImportProblem[]; count: number }) {
  return (
    <div className="error-message" role="alert">
      <strong>Import refused, nothing was stored: {count} problem{count === 1 ? "" : "s"}</strong>
      <ul className="import-problems">
        {problems.map((p, i) => (
          <li key={i}>
            <code>{p.item}</code>: {p.reason}
          </li>
        ))}
      </ul>
      {count > problems.length && <p>…and {count - problems.length} more.</p>}
    </div>
  );
}

/** An import job as it runs (progress, stage, cancel), then its report or every problem. */
function ImportJob({ projectId, jobId }: { projectId: number; jobId: number }) {
  const outcome = useImportOutcome(projectId, jobId);
  const data = outcome.data;
  return (
    <div className="stack" data-testid="import-job">
      <JobProgress projectId={projectId} jobId={jobId} compact />
      {data?.refusal && <ImportProblems problems={data.refusal.problems} count={data.refusal.problem_count} />}
      {data?.report && (
        <p role="status" className="success">
          {describeReport(data.report)}
          {data.report.skipped_files.length > 0 && ` ${data.report.skipped_files.length} image files that no annotation named were left out.`}
        </p>
      )}
      {data?.state === "cancelled" && <p role="status">Import cancelled: nothing was stored.</p>}
    </div>
  );
}

/** Import a dataset (a zip of images and COCO/VOC/YOLO files, or one annotation file for images
 * already uploaded) into the project: a dialog with the file, format, pool and whether unknown
 * classes are added; the import runs as a job with live progress, then shows its report or every
 * problem. */
export function DatasetImport({ projectId }: { projectId: number }) {
  const run = useImportDataset(projectId);
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<DatasetFormat | "">("");
  const [pool, setPool] = useState<"adapt" | "holdout">("adapt");
  const [addClasses, setAddClasses] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) run.mutate({ file, format: format || null, pool, addClasses });
  };
  const refused = run.error instanceof ImportRefusedError ? run.error : null;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>Import…</button>
      {open && (
        <div className="dialog" role="dialog" aria-modal="false" aria-label="Import a dataset">
          <form onSubmit={submit} className="stack">
            <h3>Import a dataset</h3>
            <p className="muted">A zip of images with COCO JSON, Pascal VOC XML or YOLO txt files, or one annotation file for images already here (matched by file name). Everything is checked first: one problem and nothing is stored. Imported images are marked complete.</p>
            <label>
              File
              <input type="file" accept=".zip,.json,.xml,.txt" aria-label="Dataset file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </label>
            <label>
              Format
              <select value={format} onChange={(e) => setFormat(e.target.value as DatasetFormat | "")} aria-label="Dataset format">
                <option value="">detect</option>
                <option value="coco">COCO</option>
                <option value="voc">Pascal VOC</option>
                <option value="yolo">YOLO</option>
              </select>
            </label>
            <label>
              Pool (a split in the files is kept)
              <select value={pool} onChange={(e) => setPool(e.target.value as "adapt" | "holdout")} aria-label="Pool for imported images">
                <option value="adapt">adapt</option>
                <option value="holdout">holdout</option>
              </select>
            </label>
            <label className="inline">
              <input type="checkbox" checked={addClasses} onChange={(e) => setAddClasses(e.target.checked)} /> Add classes the project lacks
            </label>
            <div className="row">
              <button type="submit" disabled={!file || run.isPending}>{run.isPending ? "Uploading…" : "Import"}</button>
              <button type="button" onClick={() => { setOpen(false); run.reset(); }}>Close</button>
            </div>
            {refused && <ImportProblems problems={refused.problems} count={refused.problemCount} />}
            {run.isError && !refused && <ErrorMessage error={run.error} title="Import refused, nothing was stored" />}
            {run.isSuccess && <ImportJob key={run.data.id} projectId={projectId} jobId={run.data.id} />}
          </form>
        </div>
      )}
    </>
  );
}
