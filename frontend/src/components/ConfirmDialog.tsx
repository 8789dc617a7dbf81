import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Dialog } from "./Dialog";

/** A confirmation before something that cannot be undone (a delete): says what will go, and,
 * with `typeToConfirm`, asks for a word (the project's name) to be typed first, as GitHub and
 * CVAT do; `blocked` (why it cannot go ahead) keeps the confirm button off. The dialog stays open while the action runs and shows `failure` (its error) if it fails. */
export function ConfirmDialog({ title, open, onClose, onConfirm, confirmLabel, pending = false, failure, typeToConfirm, blocked, children }: {
  title: string;
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
  confirmLabel: string;
  pending?: boolean;
  failure?: ReactNode;
  typeToConfirm?: string;
  blocked?: string;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      <ConfirmBody onClose={onClose} onConfirm={onConfirm} confirmLabel={confirmLabel} pending={pending} failure={failure} typeToConfirm={typeToConfirm} blocked={blocked}>
        {children}
      </ConfirmBody>
    </Dialog>
  );
}

// Mounted only while the dialog is open, so the typed word starts empty each time.
function ConfirmBody({ onClose, onConfirm, confirmLabel, pending, failure, typeToConfirm, blocked, children }: {
  onClose: () => void;
  onConfirm: () => void;
  confirmLabel: string;
  pending: boolean;
  failure?: ReactNode;
  typeToConfirm?: string;
  blocked?: string;
  children: ReactNode;
}) {
  const [typed, setTyped] = useState("");
  // The name field, or Cancel: focused once the dialog is open (showModal, in the parent's effect,
  // would otherwise focus its close button first)
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => first.current?.focus());
    return () => clearTimeout(timer);
  }, []);
  const matches = (typeToConfirm == null || typed === typeToConfirm) && !blocked;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (matches && !pending) onConfirm();
  };
  return (
    <form className="form confirm" onSubmit={submit}>
      <div className="confirm__message">{children}</div>
      {typeToConfirm != null && (
        <label>
          <span>
            Type <strong className="confirm__word">{typeToConfirm}</strong> to confirm
          </span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} ref={first} aria-label={`Type ${typeToConfirm} to confirm`} />
        </label>
      )}
      {failure}
      <div className="row confirm__actions">
        <button type="button" onClick={onClose} ref={typeToConfirm == null ? first : undefined}>
          Cancel
        </button>
        <button type="submit" className="button--danger" disabled={!matches || pending} title={blocked}>
          {pending ? "Working…" : confirmLabel}
        </button>
      </div>
    </form>
  );
}
