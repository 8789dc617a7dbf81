import { useRef, useState, type DragEvent } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { ProgressBar } from "@/components/ProgressBar";
import { useUploadImages } from "../api/upload-images";

/** Drop images (or choose them) to upload them into a pool, with a progress bar. The server
 * takes all files or none, so an error means nothing was added. */
export function UploadDropzone({ projectId }: { projectId: number }) {
  const upload = useUploadImages(projectId);
  const input = useRef<HTMLInputElement>(null);
  const [pool, setPool] = useState<"adapt" | "holdout">("adapt");
  const [progress, setProgress] = useState(0);
  const [over, setOver] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const send = (files: File[]) => {
    if (!files.length) return;
    setDone(null);
    setProgress(0);
    upload.mutate(
      { files, pool, onProgress: setProgress },
      { onSuccess: (created) => setDone(`${created.length} image${created.length === 1 ? "" : "s"} added to the ${pool} pool.`) },
    );
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    send(Array.from(event.dataTransfer.files));
  };
  return (
    <section className="upload" aria-label="Upload images">
      <div
        className={over ? "dropzone dropzone--over" : "dropzone"}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop images here, or</p>
        <button type="button" onClick={() => input.current?.click()} disabled={upload.isPending}>
          Choose files…
        </button>
        <input ref={input} type="file" multiple accept="image/*" hidden aria-label="Image files" onChange={(e) => { send(Array.from(e.target.files ?? [])); e.target.value = ""; }} data-testid="file-input" />
        <label className="inline">
          into the
          <select value={pool} onChange={(e) => setPool(e.target.value as "adapt" | "holdout")} aria-label="Pool for uploaded images">
            <option value="adapt">adapt pool</option>
            <option value="holdout">holdout pool</option>
          </select>
        </label>
      </div>
      {upload.isPending && <ProgressBar value={progress} label="Upload progress" />}
      {upload.isError && <ErrorMessage error={upload.error} title="Upload refused, nothing was added" />}
      {done && !upload.isPending && <p role="status" className="success">{done}</p>}
    </section>
  );
}
