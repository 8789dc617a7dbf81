import { useState } from "react";
import { useFileUrl } from "@/lib/tickets";
import { exportUrl, type DatasetFormat } from "../utils/dataset";

/** Download the project's annotations as a COCO, VOC or YOLO zip (streamed by the server). */
export function DatasetExport({ projectId }: { projectId: number }) {
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<DatasetFormat>("coco");
  const [pool, setPool] = useState<"adapt" | "holdout" | "all">("all");
  const [images, setImages] = useState(true);
  const fileUrl = useFileUrl(projectId);
  const href = exportUrl(projectId, { format, pool, images }, fileUrl);
  return (
    <details className="menu" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Export</summary>
      <div className="stack" role="group" aria-label="Export annotations">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as DatasetFormat)} aria-label="Export format">
            <option value="coco">COCO</option>
            <option value="voc">Pascal VOC</option>
            <option value="yolo">YOLO</option>
          </select>
        </label>
        <label>
          Pool
          <select value={pool} onChange={(e) => setPool(e.target.value as "adapt" | "holdout" | "all")} aria-label="Export pool">
            <option value="all">all</option>
            <option value="adapt">adapt</option>
            <option value="holdout">holdout</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={images} onChange={(e) => setImages(e.target.checked)} /> Include the images
        </label>
        <a className="button" href={href || undefined} aria-disabled={!href} download>
          Download zip
        </a>
      </div>
    </details>
  );
}
