import { useMemo, useState } from "react";
import { AnnotatedImage } from "@/components/AnnotatedImage";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { useFileUrl } from "@/lib/tickets";
import { plural } from "@/lib/format";
import { useImageEvaluations } from "../api/get-image-evaluations";
import { errorsOf, evaluationBoxes, MATCH_COLORS } from "../utils/image-evaluation";

type LabelClass = Schemas["LabelClassOut"];
const PAGE = 20;

/** The evaluation image by image (most errors first): true positives, false positives and
 * false negatives per holdout image; the selected image with its detections coloured by match
 * and the ground truth missed, dashed. */
export function EvaluationImages({ projectId, jobId, modelName, classes }: { projectId: number; jobId: number; modelName: string; classes: LabelClass[] }) {
  const fileUrl = useFileUrl(projectId);
  const evaluations = useImageEvaluations(projectId, jobId);
  const [chosen, setChosen] = useState<number | null>(null);
  const [minScore, setMinScore] = useState(0.3);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [page, setPage] = useState(0);
  const nameOf = useMemo(() => {
    const names = new Map(classes.map((c) => [c.id, c.name]));
    return (id: number) => names.get(id) ?? String(id);
  }, [classes]);

  if (evaluations.isPending) return <Spinner label="Loading the evaluation per image…" />;
  if (evaluations.isError) return <ErrorMessage error={evaluations.error} title="Could not load the evaluation per image" />;
  const all = evaluations.data;
  const rows = onlyErrors ? all.filter((r) => errorsOf(r) > 0) : all;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const current = Math.min(page, pages - 1);
  const selected = rows.find((r) => r.image_id === chosen) ?? rows[0] ?? null;
  const totals = all.reduce((t, r) => ({ tp: t.tp + r.tp, fp: t.fp + r.fp, fn: t.fn + r.fn }), { tp: 0, fp: 0, fn: 0 });
  const drawn = selected ? evaluationBoxes(selected, nameOf, minScore) : [];
  const drawnDetections = selected ? selected.detections.filter((d) => d.score >= minScore).length : 0;

  return (
    <section aria-labelledby="per-image-title" className="evaluation-images">
      <h3 id="per-image-title">Per image ({modelName}, job #{jobId})</h3>
      {all.length === 0 ? (
        <p className="empty">No image of this evaluation to show (it scores complete holdout images only).</p>
      ) : (
        <>
          <p className="muted small">
            {plural(all.length, "holdout image")}: {totals.tp} true positives, {totals.fp} false positives, {totals.fn} missed objects (false negatives), counted over every detection; most errors first.
          </p>
          <div className="filter-bar" role="group" aria-label="Evaluation per image options">
            <label className="inline">
              <input type="checkbox" checked={onlyErrors} onChange={(e) => { setOnlyErrors(e.target.checked); setPage(0); }} />
              Only images with errors
            </label>
            <label className="slider">
              Draw detections scoring ≥ <output>{minScore.toFixed(2)}</output>
              <input type="range" min={0} max={1} step={0.01} value={minScore} onChange={(e) => setMinScore(Number(e.target.value))} aria-label="Draw detections scoring at least" />
            </label>
            <span className="legend small">
              {/* the marks in the drawing's colours, the words in the text colour (contrast) */}
              <span><span style={{ color: MATCH_COLORS.tp }} aria-hidden="true">■</span> TP</span> <span><span style={{ color: MATCH_COLORS.fp }} aria-hidden="true">■</span> FP</span> <span><span style={{ color: MATCH_COLORS.fn }} aria-hidden="true">┅</span> FN (missed, dashed)</span>
            </span>
          </div>
          <div className="two-columns">
            <div>
              <table className="table table--numbers" data-testid="evaluation-images" aria-label="Holdout images, most errors first">
                <thead>
                  <tr><th scope="col">Image</th><th scope="col">TP</th><th scope="col">FP</th><th scope="col">FN</th></tr>
                </thead>
                <tbody>
                  {rows.slice(current * PAGE, (current + 1) * PAGE).map((r) => (
                    <tr key={r.image_id} data-testid="evaluation-image-row" data-image-id={r.image_id} aria-selected={r.image_id === selected?.image_id} className={r.image_id === selected?.image_id ? "row--selected" : undefined}>
                      <th scope="row">
                        <button type="button" className="button--link" onClick={() => setChosen(r.image_id)} aria-label={`Show image ${r.image_id} ${r.file_name}: ${r.tp} TP, ${r.fp} FP, ${r.fn} FN`}>
                          {r.image_id} · {r.file_name}
                        </button>
                      </th>
                      <td data-testid="eval-tp">{r.tp}</td>
                      <td data-testid="eval-fp">{r.fp}</td>
                      <td data-testid="eval-fn">{r.fn}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {rows.length === 0 && <p className="empty">No image with an error.</p>}
              {pages > 1 && (
                <nav className="pager" aria-label="Evaluation pages">
                  <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>‹ Previous</button>
                  <span className="muted">page {current + 1} of {pages}</span>
                  <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>Next ›</button>
                </nav>
              )}
            </div>
            {selected && (
              <figure className="evaluation-images__figure" data-testid="evaluation-image" data-image-id={selected.image_id}>
                <AnnotatedImage
                  imageUrl={fileUrl(`/api/projects/${projectId}/images/${selected.image_id}/file`)}
                  size={{ width: selected.width, height: selected.height }}
                  boxes={drawn}
                  label={`Image ${selected.image_id}: ${selected.tp} true positives, ${selected.fp} false positives, ${selected.fn} missed (dashed)`}
                />
                <figcaption className="small">
                  Image {selected.image_id} ({selected.file_name}): {selected.tp} TP · {selected.fp} FP · {selected.fn} FN — {drawnDetections} of {selected.detections.length} detections drawn (score ≥ {minScore.toFixed(2)}), {selected.missed.length} missed.
                </figcaption>
              </figure>
            )}
          </div>
        </>
      )}
    </section>
  );
}
