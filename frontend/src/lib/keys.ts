// Page-level keyboard handling: keys work without clicking anything first, but never while the
// person types, and never for a page hidden behind an open modal dialog.

const NOT_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "color", "file", "image"]);

/** Whether keys typed at `target` are text (or choose in a list) rather than commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NOT_TEXT_INPUTS.has(target.type);
}

/** Whether a window-level key handler of `scope` (an element of the page or of a dialog; null
 * for the page itself) should take this key: not while typing, not when already handled, and
 * only when the key is for the same layer: the page's keys stop while a dialog is open, a
 * dialog's keys work only in that dialog. */
export function keyIsFor(scope: Element | null, event: KeyboardEvent, { allowSelect = false } = {}): boolean {
  if (event.defaultPrevented) return false;
  if (isTypingTarget(event.target) && !(allowSelect && event.target instanceof HTMLSelectElement)) return false;
  const scopeDialog = scope?.closest("dialog") ?? null;
  const targetDialog = event.target instanceof Element ? event.target.closest("dialog") : null;
  if (targetDialog) return targetDialog === scopeDialog;
  // The focus is on the page (or on nothing): the page's keys, unless a dialog is open.
  return scopeDialog ? scopeDialog.open : document.querySelector("dialog[open]") === null;
}
