import { useRef, useState, type DragEvent } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { ProgressBar } from "@/components/ProgressBar";
import { plural } from "@/lib/format";
import { useUploadImages } from "../api/upload-images";
import type { Refused } from "../utils/upload-batches";

/** Drop images (or choose them) to upload them into a pool, with a progress bar. Good files are
 * kept; each refused one is listed with the server's reason. */
export function UploadDropzone({ projectId }: { projectId: number }) {
  const upload = useUploadImages(projectId);
  const input = useRef<HTMLInputElement>(null);
  const [pool, setPool] = useState<"adapt" | "holdout">("adapt");
  const [progress, setProgress] = useState(0);
  const [over, setOver] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [refused, setRefused] = useState<{ files: Refused[]; of: number; added: number } | null>(null);

  const send = (files: File[]) => {
    if (!files.length) return;
    setDone(null);
    setRefused(null);
    setProgress(0);
    upload.mutate(
      { files, pool, onProgress: setProgress },
      {
        onSuccess: ({ added, refused: bad }) => {
          if (added.length) setDone(`${plural(added.length, "image")} added to the ${pool} pool.`);
          if (bad.length) setRefused({ files: bad, of: files.length, added: added.length });
        },
      },
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
      {refused && !upload.isPending && (
        <div className="error-message" role="alert">
          <strong>{refused.added ? `Not added: ${plural(refused.files.length, "file")} of ${refused.of}` : "Upload refused, nothing was added:"}</strong>
          <ul className="upload__refused">
            {refused.files.map((file, index) => (
              <li key={`${index}-${file.name}`}>{file.reason.includes(file.name) ? file.reason : `${file.name}: ${file.reason}`}</li>
            ))}
          </ul>
        </div>
      )}
      {done && !upload.isPending && <p role="status" className="success">{done}</p>}
    </section>
  );
}
