import { useEffect, useRef } from "react";
import { useSearchParams } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { ImageFilters } from "@/lib/query-keys";
import { formatTotal } from "@/lib/format";
import { AnnotationWorkspace } from "@/features/annotate/components/AnnotationWorkspace";
import { useImage } from "@/features/images/api/get-image";
import { useImages } from "@/features/images/api/list-images";
import { useSetPool } from "@/features/images/api/set-pool";
import { ImageFilterBar } from "@/features/images/components/ImageFilterBar";
import { ImageGrid } from "@/features/images/components/ImageGrid";
import { Pager } from "@/features/images/components/Pager";
import { useProjectContext } from "./ProjectLayout";
import { filtersFromParams, filtersToParams } from "./image-params";

const LIMIT = 100;

/** The image strip (with filters) and the editor; ?image= is the open image, ?edge=last opens
 * the last image of the page (after "previous" crossed a page boundary). */
export function AnnotateRoute() {
  const { project } = useProjectContext();
  const [params, setParams] = useSearchParams();
  const filters: ImageFilters = { ...filtersFromParams(params), limit: LIMIT };
  const images = useImages(project.id, filters);
  const setPool = useSetPool(project.id);
  const items = images.data?.items ?? [];
  const requested = params.get("image") ? Number(params.get("image")) : null;
  const imageId = requested ?? (params.get("edge") === "last" ? items[items.length - 1]?.id : items[0]?.id) ?? null;
  const fromList = items.find((i) => i.id === imageId);
  const single = useImage(project.id, fromList ? null : imageId);
  // The open image may leave the filtered list (e.g. "not annotated" once it has a box): keep
  // showing it while its own record loads.
  const lastImage = useRef(fromList ?? null);
  const image = fromList ?? single.data ?? (lastImage.current?.id === imageId ? lastImage.current : null);
  if (image) lastImage.current = image;

  // Pin the image shown by default in the URL, so it stays open when the list changes.
  useEffect(() => {
    if (requested == null && imageId != null) {
      const next = new URLSearchParams(params);
      next.set("image", String(imageId));
      next.delete("edge");
      setParams(next, { replace: true });
    }
  }, [requested, imageId, params, setParams]);

  const open = (id: number) => {
    const next = new URLSearchParams(params);
    next.set("image", String(id));
    next.delete("edge");
    setParams(next, { replace: true });
  };
  // Neighbours by id (the list is in id order), so they stay right when the open image leaves
  // the filtered list (e.g. "not annotated" after drawing a box on it).
  const offset = filters.offset ?? 0;
  const total = images.data?.total ?? 0;
  const exact = images.data?.total_exact ?? true;
  const hasNextPage = images.data?.next_cursor != null;
  const nextItem = imageId != null ? items.find((i) => i.id > imageId) : undefined;
  const previousItem = imageId != null ? [...items].reverse().find((i) => i.id < imageId) : undefined;
  const toPage = (newOffset: number, edge: "first" | "last") => {
    const next = filtersToParams({ ...filters, offset: newOffset }, params);
    next.delete("image");
    next.set("edge", edge);
    setParams(next, { replace: true });
  };
  const onNext = nextItem ? () => open(nextItem.id) : hasNextPage ? () => toPage(offset + LIMIT, "first") : null;
  const onPrevious = previousItem ? () => open(previousItem.id) : offset > 0 ? () => toPage(Math.max(0, offset - LIMIT), "last") : null;

  // Keep the open image in view in the strip.
  useEffect(() => {
    document.querySelector(`[data-image-id="${imageId}"]`)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [imageId]);

  const position = image ? `${items.findIndex((i) => i.id === image.id) + 1 + offset || "–"} of ${formatTotal(total, exact)}` : "";
  return (
    <div className="annotate">
      <div className="annotate__strip">
        <ImageFilterBar filters={filters} total={images.data?.total} totalExact={exact} onChange={(f) => { const next = filtersToParams(f, params); next.delete("image"); setParams(next, { replace: true }); }} />
        {images.isError && <ErrorMessage error={images.error} title="Could not load images" />}
        {images.data && <ImageGrid images={items} currentId={imageId} onOpen={open} compact />}
        <Pager offset={offset} limit={LIMIT} total={total} exact={exact} hasNext={hasNextPage} onOffset={(o) => toPage(o, "first")} />
      </div>
      <div className="annotate__editor">
        {images.isPending ? (
          <Spinner label="Loading images…" />
        ) : single.isError ? (
          <ErrorMessage error={single.error} title={`Image ${imageId}`} />
        ) : !image ? (
          <p className="empty">No image to annotate here: upload images on the Images page, or change the filters.</p>
        ) : (
          <AnnotationWorkspace
            projectId={project.id}
            image={image}
            classes={project.classes}
            position={position}
            onNext={onNext}
            onPrevious={onPrevious}
            onSetPool={(pool) => setPool.mutate({ image_ids: [image.id], pool })}
          />
        )}
      </div>
    </div>
  );
}
