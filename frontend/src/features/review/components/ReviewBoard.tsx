import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AnnotatedImage, type DrawnBox } from "@/components/AnnotatedImage";
import { ErrorMessage } from "@/components/ErrorMessage";
import { ImageStateBadge } from "@/components/ImageStateBadge";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { useFileUrl } from "@/lib/tickets";
import { plural } from "@/lib/format";
import { contextViewBox, fromXywh } from "@/lib/geometry";
import { keyIsFor } from "@/lib/keys";
import { useShortcuts } from "@/lib/shortcuts";
import { useRoleGate } from "@/lib/roles";
import { useAnnotations } from "@/features/annotate/api/list-annotations";
import { useImage } from "@/features/images/api/get-image";
import { usePredictions } from "../api/list-predictions";
import { useReviewImages } from "../api/list-review-images";
import { useApplyReview, useTrainingData, useUndoReview, type ReviewApply, type ReviewApplyResult, type ReviewUndo } from "../api/review-actions";
import { acceptObjects, MERGE_IOU, mergeObjects, rejectObjects, visibleBox, type MergedObject } from "../utils/merge-objects";
import { groupByImage, sortPredictions, type ReviewSort } from "../utils/review-order";
import { AdjustDialog } from "./AdjustDialog";
import { BulkConfirmDialog, type BulkAction } from "./BulkConfirmDialog";

type Prediction = Schemas["PredictionOut"];
type ReviewObject = MergedObject<Prediction>;
type LabelClass = Schemas["LabelClassOut"];
type ImageInfo = { width: number; height: number; file_name: string; pool: string };
type Grouping = "image" | "detection";
type Layout = "overlay" | "side-by-side";
/** The last action that can be undone: what it did, in words, and the record that reverts it. */
type LastAction = { label: string; undo: ReviewUndo };

const PAGE = { image: 8, detection: 40 } as const;
const LOADED = 5000;
// Predictions are loaded whole (every pending one of the run, up to LOADED, by image so that
// each image's predictions come together): the merge, the threshold and the counts of the bulk
// actions work on the same list, and each action sends the ids it counted.

/** Review a detect run's predictions, one per object (the class-agnostic merge of
 * merge-objects.ts) or all of them: most uncertain first (or by confidence or image id),
 * grouped by image or by detection, against the ground truth; accept, adjust or reject, in bulk
 * with a confirmation and an undo. */
export function ReviewBoard({ projectId, jobId, classes }: { projectId: number; jobId: number; classes: LabelClass[] }) {
  const fileUrl = useFileUrl(projectId);
  const [sort, setSort] = useState<ReviewSort>("uncertainty");
  const [grouping, setGrouping] = useState<Grouping>("image");
  const [layout, setLayout] = useState<Layout>("overlay");
  const [threshold, setThreshold] = useState(0.3);
  const [allPredictions, setAllPredictions] = useState(false);
  const [page, setPage] = useState(0);
  const [adjusting, setAdjusting] = useState<{ prediction: Prediction; others: number[] } | null>(null);
  const [markComplete, setMarkComplete] = useState(false);
  const [picked, setPicked] = useState<ReadonlyMap<number, number>>(new Map());
  const [confirming, setConfirming] = useState<BulkAction | null>(null);
  const [lastAction, setLastAction] = useState<LastAction | null>(null);
  const [report, setReport] = useState<{ result: ReviewApplyResult; complete: boolean } | null>(null);
  const predictions = usePredictions(projectId, { job_id: jobId, status: "pending", sort: "image", limit: LOADED });
  const images = useReviewImages(projectId, jobId);
  const training = useTrainingData(projectId);
  const apply = useApplyReview(projectId);
  const undo = useUndoReview(projectId);
  const writeGate = useRoleGate("annotate");

  const imageInfo = useMemo(() => new Map<number, ImageInfo>((images.data?.items ?? []).map((i) => [i.image_id, i])), [images.data]);
  const classById = useMemo(() => new Map(classes.map((c) => [c.id, c])), [classes]);
  // A prediction with (almost) nothing inside its image can be neither drawn nor accepted: it
  // is left out of the list (and counted), so every listed prediction has a visible box.
  const { drawable, offImage } = useMemo(() => {
    const items = predictions.data?.items ?? [];
    const drawable = items.filter((p) => {
      const info = imageInfo.get(p.image_id);
      return !info || visibleBox(p.box, info) != null;
    });
    return { drawable, offImage: items.length - drawable.length };
  }, [predictions.data, imageInfo]);
  const objects = useMemo(() => mergeObjects(drawable, allPredictions ? Infinity : MERGE_IOU), [drawable, allPredictions]);
  const shown = useMemo(() => objects.filter((o) => o.score >= threshold), [objects, threshold]);
  const below = useMemo(() => objects.filter((o) => o.score < threshold), [objects, threshold]);
  const groups = useMemo(() => groupByImage(shown, sort), [shown, sort]);
  const flat = useMemo(() => sortPredictions(shown, sort), [shown, sort]);
  const objectsByImage = useMemo(() => {
    const map = new Map<number, ReviewObject[]>();
    for (const o of objects) map.set(o.image_id, [...(map.get(o.image_id) ?? []), o]);
    return map;
  }, [objects]);

  const run = useCallback(
    (body: Partial<ReviewApply>, label: string | null, onDone?: () => void) => {
      undo.reset(); // its report is about an earlier action
      apply.mutate(body, {
        onSuccess: (result) => {
          setReport({ result, complete: !!body.complete });
          if (label != null) setLastAction({ label, undo: result.undo });
          onDone?.();
        },
      });
    },
    [apply, undo],
  );

  // Ctrl+Z (⌘Z) undoes the last review action, as the Undo button does.
  const undoLast = useRef<(() => void) | null>(null);
  undoLast.current = lastAction && !apply.isPending && !undo.isPending ? () => undo.mutate(lastAction.undo, { onSuccess: () => { setLastAction(null); setReport(null); } }) : null;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== "z" || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      if (!keyIsFor(null, event) || !undoLast.current) return;
      event.preventDefault();
      undoLast.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  useShortcuts({ id: "review", title: "Review", shortcuts: [{ keys: [["Ctrl", "Z"], ["⌘", "Z"]], action: "Undo the last review action (a bulk accept or reject, an image marked complete or empty)" }] });

  if (predictions.isPending || images.isPending) return <Spinner label="Loading predictions…" />;
  if (predictions.isError) return <ErrorMessage error={predictions.error} title="Could not load predictions" />;
  if (images.isError) return <ErrorMessage error={images.error} title="Could not load the reviewed images" />;

  const pageSize = PAGE[grouping];
  const count = grouping === "image" ? groups.length : flat.length;
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const current = Math.min(page, pages - 1);
  const busy = apply.isPending || undo.isPending;
  const truncated = (predictions.data?.total ?? 0) > (predictions.data?.items.length ?? 0);
  const t = threshold.toFixed(2);
  const unit = allPredictions ? "prediction" : "object";
  const membersOf = (list: readonly ReviewObject[]) => list.reduce((n, o) => n + o.members.length, 0);
  const chosenOf = (o: ReviewObject) => o.members.find((m) => m.id === picked.get(o.id)) ?? o.top;
  const acceptOne = (o: ReviewObject) => run(acceptObjects([o], picked), null);
  const rejectOne = (o: ReviewObject) => run({ reject_ids: rejectObjects([o]) }, null);
  const adjustOne = (o: ReviewObject) => {
    const chosen = chosenOf(o);
    setAdjusting({ prediction: chosen, others: o.members.filter((m) => m.id !== chosen.id).map((m) => m.id) });
  };
  const confirmBulk = () => {
    if (confirming === "accept") {
      const label = `accepted ${plural(shown.length, unit)} ≥ ${t}`;
      run({ ...acceptObjects(shown, picked), complete: markComplete }, label, () => setConfirming(null));
    } else if (confirming === "reject") {
      run({ reject_ids: rejectObjects(below) }, `rejected ${plural(below.length, unit)} below ${t}`, () => setConfirming(null));
    }
  };
  const acceptPlan = acceptObjects(shown, picked);

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
          Score threshold <output>{t}</output>
          <input type="range" min={0} max={1} step={0.01} value={threshold} onChange={(e) => { setThreshold(Number(e.target.value)); setPage(0); }} aria-label="Score threshold" />
        </label>
        <label className="inline" title="Each prediction of each class on its own, instead of one per object">
          <input type="checkbox" checked={allPredictions} onChange={(e) => { setAllPredictions(e.target.checked); setPage(0); }} />
          All predictions (one per class)
        </label>
      </div>
      <div className="filter-bar" role="group" aria-label="Bulk actions">
        <button type="button" className="button--primary" disabled={busy || shown.length === 0} onClick={() => setConfirming("accept")} {...writeGate.control}>
          Accept all {shown.length} ≥ {t}…
        </button>
        <label className="inline" title="Every object on those images is boxed once these are accepted: mark them complete (else they are in progress)">
          <input type="checkbox" checked={markComplete} onChange={(e) => setMarkComplete(e.target.checked)} />
          Mark images complete
        </label>
        <button type="button" disabled={busy || below.length === 0} onClick={() => setConfirming("reject")} {...writeGate.control}>
          Reject all {below.length} below {t}…
        </button>
        {lastAction && (
          <button type="button" disabled={busy} onClick={() => undoLast.current?.()} title={`Undo the last action: ${lastAction.label} (Ctrl+Z)`} aria-keyshortcuts="Control+Z Meta+Z">
            Undo ({lastAction.label})
          </button>
        )}
        {writeGate.note}
      </div>
      <div className="review__summary" aria-live="polite">
        <p className="muted small" data-testid="review-counts">
          {plural(shown.length, unit)}
          {allPredictions ? "" : ` (${plural(membersOf(shown), "prediction")})`} on {plural(groups.length, "image")} at or above the threshold, {below.length} below
          {truncated ? ` (the first ${LOADED} pending predictions loaded)` : ""}
          {offImage > 0 ? `; ${plural(offImage, "prediction")} with no box inside its image left out` : ""}. Dashed: predictions; solid: ground truth (annotations).
        </p>
        {!allPredictions && (
          <p className="muted small" data-testid="merge-rule">
            One prediction per object: on each image, predictions whose boxes overlap the best one at IoU ≥ {MERGE_IOU} are one object, whatever their class. It shows its best class; the others (with their scores) are in its class menu. Accepting it rejects the other classes; “All predictions” lists every class on its own.
          </p>
        )}
        <TrainingSummary data={training.data} error={training.error} />
      </div>
      {report && <ApplyReport result={report.result} complete={report.complete} />}
      <ErrorMessage error={apply.error} title="Not done" />
      <ErrorMessage error={undo.error} title="Not undone" />
      {undo.isSuccess && (
        <p className="success" role="status" data-testid="undo-report">
          Undone: {plural(undo.data.restored_predictions, "prediction")} restored, {plural(undo.data.deleted_annotations, "annotation")} deleted, {plural(undo.data.restored_images, "image state")} restored.
        </p>
      )}
      {count === 0 && <p className="empty">Nothing left to review at this threshold.</p>}
      {grouping === "image" ? (
        <ol className="review-groups">
          {groups.slice(current * pageSize, (current + 1) * pageSize).map((group) => (
            <ImageGroupCard
              key={group.imageId}
              projectId={projectId}
              imageId={group.imageId}
              info={imageInfo.get(group.imageId)}
              objects={group.predictions}
              allOnImage={objectsByImage.get(group.imageId) ?? []}
              uncertainty={group.uncertainty}
              classById={classById}
              layout={layout}
              busy={busy}
              chosenOf={chosenOf}
              onPick={(o, id) => setPicked((m) => new Map(m).set(o.id, id))}
              onAccept={acceptOne}
              onReject={rejectOne}
              onAdjust={adjustOne}
              onAcceptAll={(list) => run({ ...acceptObjects(list, picked), complete: markComplete }, `accepted ${plural(list.length, unit)} on one image`)}
              onMark={(body, label) => run(body, label)}
            />
          ))}
        </ol>
      ) : (
        <table className="table" aria-label="Detections">
          <thead>
            <tr><th scope="col">Detection</th><th scope="col">Class</th><th scope="col">Score</th><th scope="col">Uncertainty</th><th scope="col">Image</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {flat.slice(current * pageSize, (current + 1) * pageSize).map((o) => {
              const info = imageInfo.get(o.image_id);
              const chosen = chosenOf(o);
              const box = info ? visibleBox(chosen.box, info) : null;
              return (
                <tr key={o.id} data-testid="detection-row">
                  <td>
                    {info && box && (
                      <AnnotatedImage className="crop" imageUrl={fileUrl(`/api/projects/${projectId}/images/${o.image_id}/file`)} size={info} view={contextViewBox(box, info)} boxes={[{ key: "p", box, color: classById.get(chosen.class_id)?.color ?? "#888", dashed: true }]} label={`Detection ${o.id}`} />
                    )}
                  </td>
                  <td><ClassMenu object={o} chosen={chosen} classById={classById} onPick={(id) => setPicked((m) => new Map(m).set(o.id, id))} /></td>
                  <td>{chosen.score.toFixed(3)}</td>
                  <td>{o.uncertainty.toFixed(3)}</td>
                  <td>{info?.file_name ?? o.image_id}</td>
                  <td><ObjectActions object={o} chosen={chosen} busy={busy} onAccept={() => acceptOne(o)} onReject={() => rejectOne(o)} onAdjust={() => adjustOne(o)} /></td>
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
      <BulkConfirmDialog
        action={confirming}
        threshold={t}
        unit={unit}
        objects={confirming === "accept" ? shown.length : below.length}
        images={new Set((confirming === "accept" ? shown : below).map((o) => o.image_id)).size}
        accepted={acceptPlan.accept_ids.length}
        rejected={confirming === "accept" ? acceptPlan.reject_ids.length : membersOf(below)}
        complete={markComplete}
        holdout={confirming === "accept" ? shown.filter((o) => imageInfo.get(o.image_id)?.pool === "holdout").length : 0}
        pending={apply.isPending}
        error={confirming ? apply.error : null}
        onConfirm={confirmBulk}
        onClose={() => { setConfirming(null); apply.reset(); }}
      />
      <AdjustDialog
        projectId={projectId}
        prediction={adjusting?.prediction ?? null}
        image={adjusting ? (imageInfo.get(adjusting.prediction.image_id) ?? null) : null}
        classes={classes}
        onAccepted={() => { if (adjusting?.others.length) run({ reject_ids: adjusting.others }, null); }}
        onClose={() => setAdjusting(null)}
      />
    </div>
  );
}

function TrainingSummary({ data, error }: { data: Schemas["TrainingData"] | undefined; error: unknown }) {
  if (error) return <ErrorMessage error={error} title="What the next adaptation uses could not be loaded" />;
  if (!data) return null;
  return (
    <p className="small" data-testid="training-data" title="Adaptation trains on the adapt pool's complete images: accepted predictions on them are training data">
      Next adaptation will use <strong>{plural(data.images, "image")}, {plural(data.boxes, "box", "boxes")}</strong>
      {data.images > 0 ? ` (${plural(data.accepted_boxes, "accepted prediction")}, ${plural(data.negative_images, "empty image")})` : ""}
      {data.in_progress_images > 0 ? `; ${plural(data.in_progress_images, "image")} in progress left out until marked complete` : ""}.
    </p>
  );
}

function ApplyReport({ result, complete }: { result: ReviewApplyResult; complete: boolean }) {
  const skipped = result.skipped_holdout;
  const duplicates = result.skipped_duplicates;
  return (
    <div role="status" data-testid="accept-report">
      {result.accepted > 0 && (
        <p className="success">
          {plural(result.accepted, "prediction")} accepted as annotations{complete ? "; their images are marked complete" : "; their images are in progress (mark them complete when every object is boxed, to train on them)"}.
        </p>
      )}
      {result.rejected > 0 && <p className="success">{plural(result.rejected, "prediction")} rejected.</p>}
      {result.marked_complete > 0 && <p className="success">{plural(result.marked_complete, "image")} marked complete.</p>}
      {duplicates > 0 && <p className="muted small">{plural(duplicates, "prediction")} left out: a box of their class already covers the object.</p>}
      {skipped > 0 && (
        <p className="notice-inline">
          {plural(skipped, "prediction")} on holdout images left out: holdout images are for evaluation, annotate them by hand (Annotate page).
        </p>
      )}
    </div>
  );
}

/** The object's class: its best one, or a runner-up picked from the menu (with their scores). */
function ClassMenu({ object, chosen, classById, onPick }: { object: ReviewObject; chosen: Prediction; classById: Map<number, LabelClass>; onPick: (predictionId: number) => void }) {
  const name = (p: Prediction) => classById.get(p.class_id)?.name ?? `class ${p.class_id}`;
  if (object.runnersUp.length === 0) return <span>{name(object.top)}</span>;
  return (
    <select value={chosen.id} onChange={(e) => onPick(Number(e.target.value))} aria-label={`Class of prediction ${object.top.id}`} data-testid="class-menu">
      {[object.top, ...object.runnersUp].map((p) => (
        <option key={p.id} value={p.id}>{name(p)} {p.score.toFixed(2)}</option>
      ))}
    </select>
  );
}

function ObjectActions({ object, chosen, busy, onAccept, onReject, onAdjust }: { object: ReviewObject; chosen: Prediction; busy: boolean; onAccept: () => void; onReject: () => void; onAdjust: () => void }) {
  const others = object.members.length - 1;
  const rest = others > 0 ? ` (rejects ${plural(others, "other prediction")} of this object)` : "";
  // a role that may not annotate gets none (the bulk actions say why)
  if (!useRoleGate("annotate").allowed) return null;
  return (
    <span className="button-group" role="group" aria-label={`Prediction ${object.top.id}`}>
      <button type="button" onClick={onAccept} disabled={busy} aria-label={`Accept prediction ${chosen.id}`} title={`Accept this class${rest}`}>Accept</button>
      <button type="button" onClick={onAdjust} disabled={busy} aria-label={`Adjust prediction ${chosen.id}`}>Adjust</button>
      <button type="button" onClick={onReject} disabled={busy} aria-label={`Reject prediction ${object.top.id}`} title={others > 0 ? `Reject all ${others + 1} predictions of this object` : undefined}>Reject</button>
    </span>
  );
}

function ImageGroupCard({ projectId, imageId, info, objects, allOnImage, uncertainty, classById, layout, busy, chosenOf, onPick, onAccept, onReject, onAdjust, onAcceptAll, onMark }: {
  projectId: number;
  imageId: number;
  info: ImageInfo | undefined;
  objects: ReviewObject[];
  allOnImage: ReviewObject[];
  uncertainty: number;
  classById: Map<number, LabelClass>;
  layout: Layout;
  busy: boolean;
  chosenOf: (o: ReviewObject) => Prediction;
  onPick: (o: ReviewObject, predictionId: number) => void;
  onAccept: (o: ReviewObject) => void;
  onReject: (o: ReviewObject) => void;
  onAdjust: (o: ReviewObject) => void;
  onAcceptAll: (objects: ReviewObject[]) => void;
  onMark: (body: Partial<ReviewApply>, label: string) => void;
}) {
  const fileUrl = useFileUrl(projectId);
  const truth = useAnnotations(projectId, imageId);
  const image = useImage(projectId, imageId);
  const url = fileUrl(`/api/projects/${projectId}/images/${imageId}/file`);
  const name = info?.file_name ?? `image ${imageId}`;
  const predicted: DrawnBox[] = objects.flatMap((o) => {
    const chosen = chosenOf(o);
    const box = info ? visibleBox(chosen.box, info) : fromXywh(chosen.box);
    return box ? [{ key: `p${o.id}`, box, color: classById.get(chosen.class_id)?.color ?? "#888", dashed: true, label: `${classById.get(chosen.class_id)?.name ?? "?"} ${chosen.score.toFixed(2)}` }] : [];
  });
  const annotated: DrawnBox[] = (truth.data ?? []).map((a) => ({ key: `a${a.id}`, box: fromXywh(a.box), color: classById.get(a.class_id)?.color ?? "#888", label: classById.get(a.class_id)?.name }));
  const boxes = truth.data?.length ?? 0;
  const state = image.data?.state;
  const holdout = info?.pool === "holdout";
  const mayWrite = useRoleGate("annotate").allowed;
  const emptyWhy = holdout ? "A holdout image is reviewed by hand (Annotate page)" : boxes > 0 ? `It has ${plural(boxes, "box", "boxes")}: delete them in the editor first` : "No object on this image: reject its predictions and mark it complete with no box (a negative image)";
  return (
    <li className="review-card" data-testid="review-card" data-image-id={imageId}>
      <header className="row">
        <h3 title={`image ${imageId}`}>{name}</h3>
        {state && <ImageStateBadge state={state} negative={boxes === 0} testId="review-image-state" />}
        <span className="muted small">{info?.pool} pool · uncertainty {uncertainty.toFixed(3)} · {truth.data?.length ?? "…"} annotations</span>
        {mayWrite && <span className="button-group" role="group" aria-label={`Actions on ${name}`}>
          <button type="button" onClick={() => onAcceptAll(objects)} disabled={busy || holdout}>Accept all {objects.length} on this image</button>
          <button type="button" onClick={() => onMark({ complete_image_ids: [imageId] }, `marked ${name} complete`)} disabled={busy || state === "complete"} title={state === "complete" ? "Already complete" : "Every object on this image is boxed: train on it"}>
            Mark image complete
          </button>
          <button type="button" onClick={() => onMark({ reject_ids: rejectObjects(allOnImage), complete_image_ids: [imageId] }, `marked ${name} empty`)} disabled={busy || holdout || boxes > 0 || truth.isPending} title={emptyWhy}>
            Mark image empty
          </button>
        </span>}
      </header>
      <div className={layout === "overlay" ? "review-card__images" : "review-card__images review-card__images--pair"}>
        {info && layout === "overlay" && <AnnotatedImage imageUrl={url} size={info} boxes={[...annotated, ...predicted]} label={`${name}: predictions (dashed) over ground truth`} />}
        {info && layout === "side-by-side" && (
          <>
            <figure><AnnotatedImage imageUrl={url} size={info} boxes={predicted} label={`${name}: predictions`} /><figcaption>Prediction</figcaption></figure>
            <figure><AnnotatedImage imageUrl={url} size={info} boxes={annotated} label={`${name}: ground truth`} /><figcaption>Ground truth</figcaption></figure>
          </>
        )}
        {truth.isError && <ErrorMessage error={truth.error} title="Ground truth not loaded" />}
        <ul className="prediction-list">
          {objects.map((o) => {
            const chosen = chosenOf(o);
            return (
              <li key={o.id} className="prediction-row" data-testid="prediction-row" data-prediction-id={o.top.id} data-members={o.members.length}>
                <span className="swatch" style={{ background: classById.get(chosen.class_id)?.color }} aria-hidden="true" />
                <ClassMenu object={o} chosen={chosen} classById={classById} onPick={(id) => onPick(o, id)} />
                <span className="muted small">score {chosen.score.toFixed(2)} · unc. {o.uncertainty.toFixed(2)}</span>
                <ObjectActions object={o} chosen={chosen} busy={busy} onAccept={() => onAccept(o)} onReject={() => onReject(o)} onAdjust={() => onAdjust(o)} />
              </li>
            );
          })}
        </ul>
      </div>
    </li>
  );
}
