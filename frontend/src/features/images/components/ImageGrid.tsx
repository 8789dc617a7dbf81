import type { ReactNode } from "react";
import { IMAGE_STATE_LABEL, ImageStateBadge } from "@/components/ImageStateBadge";
import type { Schemas } from "@/lib/api/client";
import { useFileUrl } from "@/lib/tickets";

type Image = Schemas["ImageOut"];

/** Thumbnails with their pool, state and annotation count; the current one is marked. With
 * `selected`/`onToggle`, images can be picked (e.g. to move them to another pool); `actions` adds
 * controls under each tile (e.g. move or delete that image). */
export function ImageGrid({ images, currentId, onOpen, selected, onToggle, actions, compact = false }: {
  images: readonly Image[];
  currentId?: number | null;
  onOpen: (imageId: number) => void;
  selected?: ReadonlySet<number>;
  onToggle?: (imageId: number) => void;
  actions?: (image: Image) => ReactNode;
  compact?: boolean;
}) {
  const fileUrl = useFileUrl(images[0]?.project_id ?? null);
  if (images.length === 0) return <p className="empty">No image matches these filters.</p>;
  return (
    <ul className={compact ? "image-grid image-grid--compact" : "image-grid"} aria-label="Images">
      {images.map((image) => {
        const count = image.annotation_count ?? 0;
        return (
          <li key={image.id} className={image.id === currentId ? "image-tile image-tile--current" : "image-tile"}>
            <button type="button" className="image-tile__open" onClick={() => onOpen(image.id)} aria-current={image.id === currentId ? "true" : undefined} aria-label={`Image ${image.id} ${image.file_name}, ${image.pool} pool, ${IMAGE_STATE_LABEL[image.state]}, ${count} boxes${image.has_predictions ? ", has predictions" : ""}`} data-image-id={image.id} data-state={image.state}>
              <img src={fileUrl(`/api/projects/${image.project_id}/images/${image.id}/thumbnail`) || undefined} alt="" loading="lazy" width={96} height={96} />
            </button>
            {/* outside the button, whose name says all of it in words (axe: a button's visible
                text must be part of its name, and these are symbols) */}
            <span className="image-tile__meta">
              <span className={`pool pool--${image.pool}`}>{image.pool}</span>
              <ImageStateBadge state={image.state} negative={count === 0} />
              <span>{count ? `${count} ▭` : "–"}</span>
              {image.has_predictions && <span title="has predictions">◆</span>}
            </span>
            {actions && <div className="image-tile__actions">{actions(image)}</div>}
            {onToggle && selected && (
              <label className="image-tile__pick">
                <input type="checkbox" checked={selected.has(image.id)} onChange={() => onToggle(image.id)} />
                <span className="visually-hidden">Select image {image.id}</span>
              </label>
            )}
          </li>
        );
      })}
    </ul>
  );
}
