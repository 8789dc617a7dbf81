import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { plural } from "@/lib/format";
import type { ImageFilters } from "@/lib/query-keys";
import { useImages } from "@/features/images/api/list-images";
import { useSetImageStates } from "@/features/images/api/set-image-state";
import { useSetPool } from "@/features/images/api/set-pool";
import { ImageFilterBar } from "@/features/images/components/ImageFilterBar";
import { ImageGrid } from "@/features/images/components/ImageGrid";
import { Pager } from "@/features/images/components/Pager";
import { UploadDropzone } from "@/features/images/components/UploadDropzone";
import { DatasetExport } from "@/features/images/components/DatasetExport";
import { DatasetImport } from "@/features/images/components/DatasetImport";
import { JobProgress } from "@/features/jobs/components/JobProgress";
import { useProjectContext } from "./ProjectLayout";
import { filtersFromParams, filtersToParams } from "./image-params";

const LIMIT = 60;

/** Upload images, browse them with filters (pool, state, …), move them between the adapt and
 * holdout pools, mark them complete. */
export function ImagesRoute() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters: ImageFilters = { ...filtersFromParams(params), limit: LIMIT };
  const images = useImages(project.id, filters);
  const setPool = useSetPool(project.id);
  const setStates = useSetImageStates(project.id);
  const [stateDone, setStateDone] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const jobId = params.get("job");

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const move = (pool: "adapt" | "holdout") =>
    setPool.mutate({ image_ids: [...selected], pool }, { onSuccess: () => setSelected(new Set()) });
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
  const busy = setPool.isPending || setStates.isPending;

  return (
    <div className="images-page">
      {jobId && <JobProgress projectId={project.id} jobId={Number(jobId)} compact />}
      <UploadDropzone projectId={project.id} />
      <div className="row" role="group" aria-label="Datasets (COCO, VOC, YOLO)">
        <DatasetImport projectId={project.id} />
        <DatasetExport projectId={project.id} />
      </div>
      <ImageFilterBar filters={filters} total={images.data?.total} onChange={(f) => setParams(filtersToParams(f, params), { replace: true })} />
      <div className="row" role="group" aria-label="Selected images">
        <span className="muted">{selected.size} selected</span>
        <button type="button" disabled={!selected.size || busy} onClick={() => move("adapt")}>Move to adapt pool</button>
        <button type="button" disabled={!selected.size || busy} onClick={() => move("holdout")}>Move to holdout pool</button>
        <button type="button" disabled={!selected.size || busy} onClick={markComplete} title="Every object in these images is boxed (an image with no box becomes a negative image)">Mark complete</button>
        <button type="button" disabled={!images.data?.items.length} onClick={() => setSelected(new Set(images.data?.items.map((i) => i.id)))}>Select page</button>
        <button type="button" disabled={!selected.size} onClick={() => setSelected(new Set())}>Clear selection</button>
      </div>
      {stateDone && !setStates.isPending && <p role="status" className="success">{stateDone}</p>}
      {images.isPending ? (
        <Spinner label="Loading images…" />
      ) : images.isError ? (
        <ErrorMessage error={images.error} title="Could not load images" />
      ) : (
        <>
          <ImageGrid images={images.data.items} onOpen={(id) => navigate(`/projects/${project.id}/annotate?${filtersToParams(filters, new URLSearchParams({ image: String(id) }))}`)} selected={selected} onToggle={toggle} />
          <Pager offset={filters.offset ?? 0} limit={LIMIT} total={images.data.total} onOffset={(offset) => setParams(filtersToParams({ ...filters, offset }, params), { replace: true })} />
        </>
      )}
    </div>
  );
}
