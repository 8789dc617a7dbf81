import { useState } from "react";
import { REVIEW_STATUSES, predictionsExportUrl, type DatasetFormat, type ReviewStatus } from "@/features/images/utils/dataset";
import { useFileUrl } from "@/lib/tickets";

/** Download a job's predictions with their scores as a COCO, VOC or YOLO zip, optionally only
 * those of some review statuses (default: all). */
export function PredictionsExport({ projectId, jobId }: { projectId: number; jobId: number }) {
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<DatasetFormat>("coco");
  const [statuses, setStatuses] = useState<ReviewStatus[]>(REVIEW_STATUSES);
  const [images, setImages] = useState(false);
  const fileUrl = useFileUrl(projectId);
  const href = statuses.length ? predictionsExportUrl(projectId, jobId, { format, images, statuses }, fileUrl) : "";
  const toggle = (status: ReviewStatus) => setStatuses((chosen) => (chosen.includes(status) ? chosen.filter((s) => s !== status) : [...chosen, status]));
  return (
    <details className="menu" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Export predictions</summary>
      <div className="stack" role="group" aria-label="Export predictions">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as DatasetFormat)} aria-label="Predictions export format">
            <option value="coco">COCO (results)</option>
            <option value="voc">Pascal VOC</option>
            <option value="yolo">YOLO</option>
          </select>
        </label>
        <fieldset>
          <legend>Review status</legend>
          {REVIEW_STATUSES.map((status) => (
            <label key={status} className="inline">
              <input type="checkbox" checked={statuses.includes(status)} onChange={() => toggle(status)} /> {status}
            </label>
          ))}
        </fieldset>
        <label className="inline">
          <input type="checkbox" checked={images} onChange={(e) => setImages(e.target.checked)} /> Include the images
        </label>
        <a className="button" href={href || undefined} aria-disabled={!href} download>
          Download zip
        </a>
        {statuses.length === 0 && <p className="small muted">Choose at least one review status.</p>}
      </div>
    </details>
  );
}
