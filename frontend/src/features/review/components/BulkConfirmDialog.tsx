import type { FormEvent } from "react";
import { Dialog } from "@/components/Dialog";
import { ErrorMessage } from "@/components/ErrorMessage";
import { plural } from "@/lib/format";

export type BulkAction = "accept" | "reject";

/** Asks before a bulk accept or reject, with what it will change; the dialog stays open while it
 * runs and shows its error. Both can be undone afterwards (the Undo button). */
export function BulkConfirmDialog({ action, threshold, unit, objects, images, accepted, rejected, complete, holdout = 0, pending, error, onConfirm, onClose }: {
  action: BulkAction | null;
  threshold: string;
  unit: string;
  objects: number;
  images: number;
  accepted: number;
  rejected: number;
  complete: boolean;
  /** Of the objects, those on holdout images: left out of an accept (annotated by hand). */
  holdout?: number;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onConfirm();
  };
  const title = action === "accept" ? `Accept ${plural(objects, unit)}?` : `Reject ${plural(objects, unit)}?`;
  return (
    <Dialog title={title} open={action != null} onClose={onClose}>
      <form className="form confirm" onSubmit={submit} data-testid="bulk-confirm">
        {action === "accept" ? (
          <p>
            {plural(objects, unit)} on {plural(images, "image")} score at least {threshold}: {plural(accepted, "prediction")} will become annotations (training data once their images are complete)
            {rejected > 0 ? `, and the ${plural(rejected, "other-class prediction")} of those objects will be rejected` : ""}. Their images will be marked {complete ? "complete" : "in progress"}.
            {holdout > 0 ? ` ${plural(holdout, unit)} on holdout images will be left out: holdout images are annotated by hand.` : ""}
          </p>
        ) : (
          <p>
            {plural(objects, unit)} on {plural(images, "image")} score below {threshold}: {plural(rejected, "prediction")} will be rejected.
          </p>
        )}
        <p className="muted small">You can undo it afterwards.</p>
        <ErrorMessage error={error} title="Not done" />
        <div className="row confirm__actions">
          <button type="button" onClick={onClose} autoFocus>Cancel</button>
          <button type="submit" className={action === "accept" ? "button--primary" : "button--danger"} disabled={pending}>
            {pending ? "Working…" : action === "accept" ? `Accept ${plural(accepted, "prediction")}` : `Reject ${plural(rejected, "prediction")}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
