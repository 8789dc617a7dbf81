import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { plural } from "@/lib/format";
import type { ImageFilters } from "@/lib/query-keys";
import type { Schemas } from "@/lib/api/client";
import { useDeleteImages } from "@/features/images/api/delete-image";
import { useImages } from "@/features/images/api/list-images";
import { MAX_SELECTION, useSelectAllImages } from "@/features/images/api/select-all-images";
import { useSetImageStates } from "@/features/images/api/set-image-state";
import { useSetPool } from "@/features/images/api/set-pool";
import { ImageFilterBar } from "@/features/images/components/ImageFilterBar";
import { ImageGrid } from "@/features/images/components/ImageGrid";
import { Pager } from "@/features/images/components/Pager";
import { UploadDropzone } from "@/features/images/components/UploadDropzone";
import { DatasetExport } from "@/features/images/components/DatasetExport";
import { DatasetImport } from "@/features/images/components/DatasetImport";
import { describeDeletes, otherPool } from "@/features/images/utils/bulk";
import { JobProgress } from "@/features/jobs/components/JobProgress";
import { useProjectContext } from "./ProjectLayout";
import { filtersFromParams, filtersToParams } from "./image-params";

const LIMIT = 60;

/** Upload images, browse them with filters (pool, state, …), move them between the adapt and
 * holdout pools (one, or a selection), mark them complete, delete them (after a confirmation). */
export function ImagesRoute() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters: ImageFilters = { ...filtersFromParams(params), limit: LIMIT };
  const images = useImages(project.id, filters);
  const setPool = useSetPool(project.id);
  const setStates = useSetImageStates(project.id);
  const deleteImages = useDeleteImages(project.id);
  const selectAll = useSelectAllImages(project.id);
  const [stateDone, setStateDone] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  // the images a confirmation dialog asks about deleting: one tile's, or the selection
  const [deleting, setDeleting] = useState<number[] | null>(null);
  const canEdit = project.role !== "viewer";
  const readOnly = canEdit ? undefined : "Viewers cannot move or delete images; ask an owner to make you an annotator.";
  const jobId = params.get("job");

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const moveImages = (ids: number[], pool: "adapt" | "holdout", clearSelection: boolean) => {
    setStateDone(null);
    setPool.mutate(
      { image_ids: ids, pool },
      {
        onSuccess: () => {
          if (clearSelection) setSelected(new Set());
          setStateDone(`${plural(ids.length, "image")} moved to the ${pool} pool.`);
        },
      },
    );
  };
  const move = (pool: "adapt" | "holdout") => moveImages([...selected], pool, true);
  const confirmDelete = () => {
    if (!deleting) return;
    const ids = deleting;
    setStateDone(null);
    deleteImages.mutate(ids, {
      onSuccess: (outcome) => {
        setSelected((s) => new Set([...s].filter((id) => !outcome.done.includes(id))));
        setDeleting(null);
        setStateDone(describeDeletes(outcome));
      },
    });
  };
  const markComplete = () => {
    const ids = [...selected];
    const empty = (images.data?.items ?? []).filter((i) => selected.has(i.id) && !i.annotation_count).length;
    setStateDone(null);
    setStates.mutate(
      { image_ids: ids, state: "complete" },
      {
        onSuccess: () => {
          setSelected(new Set());
          setStateDone(`${plural(ids.length, "image")} marked complete${empty ? ` (${empty} with no box: negative images)` : ""}.`);
        },
      },
    );
  };
  const busy = setPool.isPending || setStates.isPending || deleteImages.isPending;
  const visible = images.data?.items ?? [];

  return (
    <div className="images-page">
      {jobId && <JobProgress projectId={project.id} jobId={Number(jobId)} compact />}
      <UploadDropzone projectId={project.id} />
      <div className="row" role="group" aria-label="Datasets (COCO, VOC, YOLO)">
        <DatasetImport projectId={project.id} />
        <DatasetExport projectId={project.id} />
      </div>
      <ImageFilterBar filters={filters} total={images.data?.total} totalExact={images.data?.total_exact ?? true} onChange={(f) => setParams(filtersToParams(f, params), { replace: true })} />
      <div className="row" role="group" aria-label="Selected images">
        <span className="muted">{selected.size} selected</span>
        <button type="button" disabled={!selected.size || busy || !canEdit} onClick={() => move("adapt")} title={readOnly}>Move to adapt pool</button>
        <button type="button" disabled={!selected.size || busy || !canEdit} onClick={() => move("holdout")} title={readOnly}>Move to holdout pool</button>
        <button type="button" disabled={!selected.size || busy || !canEdit} onClick={markComplete} title={readOnly ?? "Every object in these images is boxed (an image with no box becomes a negative image)"}>Mark complete</button>
        <button type="button" className="button--danger-outline" disabled={!selected.size || busy || !canEdit} onClick={() => setDeleting([...selected])} title={readOnly}>Delete selected…</button>
        <button type="button" disabled={!images.data?.items.length} onClick={() => setSelected(new Set(images.data?.items.map((i) => i.id)))}>Select page</button>
        {images.data && images.data.total > images.data.items.length && (
          <button type="button" disabled={selectAll.isPending} onClick={() => selectAll.mutate(filters, { onSuccess: (ids) => setSelected(new Set(ids)) })} title={`Every image these filters match, on every page (at most ${MAX_SELECTION.toLocaleString()})`}>
            {selectAll.isPending ? "Selecting…" : `Select all ${images.data.total_exact === false ? `${images.data.total}+` : images.data.total} matching`}
          </button>
        )}
        <button type="button" disabled={!selected.size} onClick={() => setSelected(new Set())}>Clear selection</button>
      </div>
      {readOnly && <p className="muted">{readOnly}</p>}
      {stateDone && !busy && <p role="status" className="success">{stateDone}</p>}
      <ErrorMessage error={setPool.error} title="Not moved" />
      <ErrorMessage error={selectAll.error} title="Could not select them all" />
      {images.isPending ? (
        <Spinner label="Loading images…" />
      ) : images.isError ? (
        <ErrorMessage error={images.error} title="Could not load images" />
      ) : (
        <>
          <ImageGrid images={images.data.items} onOpen={(id) => navigate(`/projects/${project.id}/annotate?${filtersToParams(filters, new URLSearchParams({ image: String(id) }))}`)} selected={selected} onToggle={toggle} actions={canEdit ? (image) => <TileActions image={image} busy={busy} onMove={(pool) => moveImages([image.id], pool, false)} onDelete={() => setDeleting([image.id])} /> : undefined} />
          <Pager offset={filters.offset ?? 0} limit={LIMIT} total={images.data.total} exact={images.data.total_exact ?? true} hasNext={images.data.next_cursor != null} onOffset={(offset) => setParams(filtersToParams({ ...filters, offset }, params), { replace: true })} />
        </>
      )}
      <ConfirmDialog
        title={deleting?.length === 1 ? `Delete ${describeImage(deleting[0]!, visible)}?` : `Delete ${plural(deleting?.length ?? 0, "image")}?`}
        open={deleting != null}
        onClose={() => {
          setDeleting(null);
          deleteImages.reset();
        }}
        confirmLabel={deleting?.length === 1 ? "Delete image" : `Delete ${plural(deleting?.length ?? 0, "image")}`}
        pending={deleteImages.isPending}
        failure={<ErrorMessage error={deleteImages.error} title="Not deleted" />}
        onConfirm={confirmDelete}
      >
        <p>{deletedWith(deleting ?? [], visible)}</p>
        <p className="muted">This cannot be undone; models already adapted on them keep what they learned.</p>
      </ConfirmDialog>
    </div>
  );
}

type Image = Schemas["ImageOut"];

function TileActions({ image, busy, onMove, onDelete }: { image: Image; busy: boolean; onMove: (pool: "adapt" | "holdout") => void; onDelete: () => void }) {
  const to = otherPool(image.pool);
  return (
    <>
      <button type="button" className="button--small" disabled={busy} onClick={() => onMove(to)} aria-label={`Move ${image.file_name} to the ${to} pool`} title={`Move to the ${to} pool`}>
        → {to}
      </button>
      <button type="button" className="button--small button--danger-outline" disabled={busy} onClick={onDelete} aria-label={`Delete ${image.file_name}`} title="Delete this image">
        Delete
      </button>
    </>
  );
}

function describeImage(id: number, visible: readonly Image[]): string {
  const image = visible.find((i) => i.id === id);
  return image ? `image '${image.file_name}'` : `image ${id}`;
}

/** What goes with the images: their boxes (counted when all of them are on this page). */
function deletedWith(ids: readonly number[], visible: readonly Image[]): string {
  const shown = visible.filter((i) => ids.includes(i.id));
  const them = ids.length === 1 ? "This image goes" : `These ${ids.length} images go`;
  if (shown.length < ids.length) return `${them} from the project, with their boxes and predictions.`;
  const boxes = shown.reduce((sum, i) => sum + (i.annotation_count ?? 0), 0);
  return `${them} from the project, with ${plural(boxes, "box", "boxes")} and ${ids.length === 1 ? "its" : "their"} predictions.`;
}
