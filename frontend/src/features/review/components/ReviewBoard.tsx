import { useDeferredValue, useMemo, useState } from "react";
import { AnnotatedImage, type DrawnBox } from "@/components/AnnotatedImage";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { useFileUrl } from "@/lib/tickets";
import { plural } from "@/lib/format";
import { contextViewBox, fromXywh } from "@/lib/geometry";
import { useAnnotations } from "@/features/annotate/api/list-annotations";
import { useAcceptPredictions } from "../api/accept-predictions";
import { usePredictions } from "../api/list-predictions";
import { useReviewImages } from "../api/list-review-images";
import { useRejectPredictions } from "../api/reject-predictions";
import { atOrAbove, groupByImage, sortPredictions, type ReviewSort } from "../utils/review-order";
import { AdjustDialog } from "./AdjustDialog";

type Prediction = Schemas["PredictionOut"];
type LabelClass = Schemas["LabelClassOut"];
type ImageInfo = { width: number; height: number; file_name: string; pool: string };
type Grouping = "image" | "detection";
type Layout = "overlay" | "side-by-side";

const PAGE = { image: 8, detection: 40 } as const;

/** Review a detect run's predictions: most uncertain first (or by confidence or image id),
 * grouped by image or by detection, against the ground truth; accept, adjust or reject. */
export function ReviewBoard({ projectId, jobId, classes }: { projectId: number; jobId: number; classes: LabelClass[] }) {
  const fileUrl = useFileUrl(projectId);
  const [sort, setSort] = useState<ReviewSort>("uncertainty");
  const [grouping, setGrouping] = useState<Grouping>("image");
  const [layout, setLayout] = useState<Layout>("overlay");
  const [threshold, setThreshold] = useState(0.3);
  const [page, setPage] = useState(0);
  const [adjusting, setAdjusting] = useState<Prediction | null>(null);
  const [markComplete, setMarkComplete] = useState(false);
  const serverThreshold = useDeferredValue(Math.floor(threshold * 20) / 20);
  const predictions = usePredictions(projectId, { job_id: jobId, status: "pending", min_score: serverThreshold, sort: "uncertainty", limit: 5000 });
  const images = useReviewImages(projectId, jobId);
  const accept = useAcceptPredictions(projectId);
  const reject = useRejectPredictions(projectId);

  const imageInfo = useMemo(() => new Map<number, ImageInfo>((images.data?.items ?? []).map((i) => [i.image_id, i])), [images.data]);
  const classById = useMemo(() => new Map(classes.map((c) => [c.id, c])), [classes]);
  const shown = useMemo(() => atOrAbove(predictions.data?.items ?? [], threshold), [predictions.data, threshold]);
  const groups = useMemo(() => groupByImage(shown, sort), [shown, sort]);
  const flat = useMemo(() => sortPredictions(shown, sort), [shown, sort]);

  if (predictions.isPending || images.isPending) return <Spinner label="Loading predictions…" />;
  if (predictions.isError) return <ErrorMessage error={predictions.error} title="Could not load predictions" />;
  if (images.isError) return <ErrorMessage error={images.error} title="Could not load the reviewed images" />;

  const pageSize = PAGE[grouping];
  const count = grouping === "image" ? groups.length : flat.length;
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const current = Math.min(page, pages - 1);
  const busy = accept.isPending || reject.isPending;
  const truncated = (predictions.data?.total ?? 0) > (predictions.data?.items.length ?? 0);

  return (
    <div className="review">
      <div className="filter-bar" role="group" aria-label="Review options">
        <label>
          Sort by
          <select value={sort} onChange={(e) => { setSort(e.target.value as ReviewSort); setPage(0); }}>
            <option value="uncertainty">uncertainty (most uncertain first)</option>
            <option value="confidence">confidence (highest first)</option>
            <option value="image">image id</option>
          </select>
        </label>
        <label>
          Group by
          <select value={grouping} onChange={(e) => { setGrouping(e.target.value as Grouping); setPage(0); }}>
            <option value="image">image</option>
            <option value="detection">detection</option>
          </select>
        </label>
        <label>
          Show
          <select value={layout} onChange={(e) => setLayout(e.target.value as Layout)}>
            <option value="overlay">prediction over ground truth</option>
            <option value="side-by-side">prediction and ground truth side by side</option>
          </select>
        </label>
        <label className="slider">
          Score threshold <output>{threshold.toFixed(2)}</output>
          <input type="range" min={0} max={1} step={0.01} value={threshold} onChange={(e) => { setThreshold(Number(e.target.value)); setPage(0); }} aria-label="Score threshold" />
        </label>
        <button type="button" className="button--primary" disabled={busy || shown.length === 0} onClick={() => accept.mutate({ job_id: jobId, min_score: threshold, complete: markComplete })}>
          Accept all {shown.length} ≥ {threshold.toFixed(2)}
        </button>
        <label className="inline" title="Every object on those images is boxed once these are accepted: mark them complete (else they are in progress)">
          <input type="checkbox" checked={markComplete} onChange={(e) => setMarkComplete(e.target.checked)} />
          Mark images complete
        </label>
      </div>
      <p className="muted small" aria-live="polite">
        {shown.length} pending predictions on {groups.length} images at or above the threshold{truncated ? " (the first 5000 loaded)" : ""}. Dashed: predictions; solid: ground truth (annotations).
      </p>
      {accept.isSuccess && <AcceptReport result={accept.data} complete={!!accept.variables?.complete} />}
      {accept.isError && <ErrorMessage error={accept.error} title="Not accepted" />}
      {count === 0 && <p className="empty">Nothing left to review at this threshold.</p>}
      {grouping === "image" ? (
        <ol className="review-groups">
          {groups.slice(current * pageSize, (current + 1) * pageSize).map((group) => (
            <ImageGroupCard key={group.imageId} projectId={projectId} imageId={group.imageId} info={imageInfo.get(group.imageId)} predictions={group.predictions} uncertainty={group.uncertainty} classById={classById} layout={layout} busy={busy}
              onAccept={(ids) => accept.mutate({ ids })} onReject={(ids) => reject.mutate(ids)} onAdjust={setAdjusting} />
          ))}
        </ol>
      ) : (
        <table className="table" aria-label="Detections">
          <thead>
            <tr><th scope="col">Detection</th><th scope="col">Class</th><th scope="col">Score</th><th scope="col">Uncertainty</th><th scope="col">Image</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {flat.slice(current * pageSize, (current + 1) * pageSize).map((p) => {
              const info = imageInfo.get(p.image_id);
              const label = classById.get(p.class_id);
              return (
                <tr key={p.id} data-testid="detection-row">
                  <td>
                    {info && (
                      <AnnotatedImage className="crop" imageUrl={fileUrl(`/api/projects/${projectId}/images/${p.image_id}/file`)} size={info} view={contextViewBox(fromXywh(p.box), info)} boxes={[{ key: "p", box: fromXywh(p.box), color: label?.color ?? "#888", dashed: true }]} label={`Detection ${p.id}`} />
                    )}
                  </td>
                  <td>{label?.name ?? p.class_id}</td>
                  <td>{p.score.toFixed(3)}</td>
                  <td>{p.uncertainty.toFixed(3)}</td>
                  <td>{p.image_id}</td>
                  <td><PredictionActions prediction={p} busy={busy} onAccept={() => accept.mutate({ ids: [p.id] })} onReject={() => reject.mutate([p.id])} onAdjust={() => setAdjusting(p)} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="Review pages">
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>‹ Previous</button>
          <span className="muted">page {current + 1} of {pages}</span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>Next ›</button>
        </nav>
      )}
      <AdjustDialog projectId={projectId} prediction={adjusting} image={adjusting ? (imageInfo.get(adjusting.image_id) ?? null) : null} classes={classes} onClose={() => setAdjusting(null)} />
    </div>
  );
}

function AcceptReport({ result, complete }: { result: Schemas["AcceptResult"]; complete: boolean }) {
  const skipped = result.skipped_holdout ?? 0;
  const duplicates = result.skipped_duplicates ?? 0;
  return (
    <div role="status" data-testid="accept-report">
      <p className="success">
        {plural(result.accepted, "prediction")} accepted as annotations{result.accepted > 0 ? (complete ? "; their images are marked complete" : "; their images are in progress (mark them complete when every object is boxed, to train on them)") : ""}.
      </p>
      {duplicates > 0 && <p className="muted small">{plural(duplicates, "prediction")} left out: a box of their class already covers the object.</p>}
      {skipped > 0 && (
        <p className="notice-inline">
          {plural(skipped, "prediction")} on holdout images left out: holdout images are for evaluation, annotate them by hand (Annotate page).
        </p>
      )}
    </div>
  );
}

function PredictionActions({ prediction, busy, onAccept, onReject, onAdjust }: { prediction: Prediction; busy: boolean; onAccept: () => void; onReject: () => void; onAdjust: () => void }) {
  return (
    <span className="button-group" role="group" aria-label={`Prediction ${prediction.id}`}>
      <button type="button" onClick={onAccept} disabled={busy} aria-label={`Accept prediction ${prediction.id}`}>Accept</button>
      <button type="button" onClick={onAdjust} disabled={busy} aria-label={`Adjust prediction ${prediction.id}`}>Adjust</button>
      <button type="button" onClick={onReject} disabled={busy} aria-label={`Reject prediction ${prediction.id}`}>Reject</button>
    </span>
  );
}

function ImageGroupCard({ projectId, imageId, info, predictions, uncertainty, classById, layout, busy, onAccept, onReject, onAdjust }: {
  projectId: number;
  imageId: number;
  info: ImageInfo | undefined;
  predictions: Prediction[];
  uncertainty: number;
  classById: Map<number, LabelClass>;
  layout: Layout;
  busy: boolean;
  onAccept: (ids: number[]) => void;
  onReject: (ids: number[]) => void;
  onAdjust: (p: Prediction) => void;
}) {
  const fileUrl = useFileUrl(projectId);
  const truth = useAnnotations(projectId, imageId);
  const url = fileUrl(`/api/projects/${projectId}/images/${imageId}/file`);
  const predicted: DrawnBox[] = predictions.map((p) => ({ key: `p${p.id}`, box: fromXywh(p.box), color: classById.get(p.class_id)?.color ?? "#888", dashed: true, label: `${classById.get(p.class_id)?.name ?? "?"} ${p.score.toFixed(2)}` }));
  const annotated: DrawnBox[] = (truth.data ?? []).map((a) => ({ key: `a${a.id}`, box: fromXywh(a.box), color: classById.get(a.class_id)?.color ?? "#888", label: classById.get(a.class_id)?.name }));
  return (
    <li className="review-card" data-testid="review-card" data-image-id={imageId}>
      <header className="row">
        <h3 title={`image ${imageId}`}>{info?.file_name ?? `Image ${imageId}`}</h3>
        <span className="muted small">{info?.file_name} · {info?.pool} pool · uncertainty {uncertainty.toFixed(3)} · {truth.data?.length ?? "…"} annotations</span>
        <button type="button" onClick={() => onAccept(predictions.map((p) => p.id))} disabled={busy}>Accept all {predictions.length} on this image</button>
      </header>
      <div className={layout === "overlay" ? "review-card__images" : "review-card__images review-card__images--pair"}>
        {info && layout === "overlay" && <AnnotatedImage imageUrl={url} size={info} boxes={[...annotated, ...predicted]} label={`Image ${imageId}: predictions (dashed) over ground truth`} />}
        {info && layout === "side-by-side" && (
          <>
            <figure><AnnotatedImage imageUrl={url} size={info} boxes={predicted} label={`Image ${imageId}: predictions`} /><figcaption>Prediction</figcaption></figure>
            <figure><AnnotatedImage imageUrl={url} size={info} boxes={annotated} label={`Image ${imageId}: ground truth`} /><figcaption>Ground truth</figcaption></figure>
          </>
        )}
        {truth.isError && <ErrorMessage error={truth.error} title="Ground truth not loaded" />}
        <ul className="prediction-list">
          {predictions.map((p) => (
            <li key={p.id} className="prediction-row" data-testid="prediction-row">
              <span className="swatch" style={{ background: classById.get(p.class_id)?.color }} aria-hidden="true" />
              <span>{classById.get(p.class_id)?.name ?? p.class_id}</span>
              <span className="muted small">score {p.score.toFixed(2)} · unc. {p.uncertainty.toFixed(2)}</span>
              <PredictionActions prediction={p} busy={busy} onAccept={() => onAccept([p.id])} onReject={() => onReject([p.id])} onAdjust={() => onAdjust(p)} />
            </li>
          ))}
        </ul>
      </div>
    </li>
  );
}
