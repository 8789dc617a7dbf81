import { useEffect, useRef, type ReactNode } from "react";

/** A modal dialog on the native <dialog> element (focus trap and Escape come with it). */
export function Dialog({ title, open, onClose, children, wide = false }: { title: string; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={wide ? "dialog dialog--wide" : "dialog"} aria-label={title} onClose={onClose} onCancel={onClose}>
      <header className="dialog__header">
        <h2>{title}</h2>
        <button type="button" className="button--ghost" onClick={onClose} aria-label="Close">✕</button>
      </header>
      {open && children}
    </dialog>
  );
}
