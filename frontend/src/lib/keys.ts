// Page-level keyboard handling: keys work without clicking anything first, but never while the
// person types, and never for a page hidden behind an open modal dialog.

const NOT_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "color", "file", "image"]);

const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

/** Whether `key` (any key when not given) typed at `target` is text, or chooses in a list or
 * on a slider, rather than a command. */
export function isTypingTarget(target: EventTarget | null, key?: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  // a slider takes only its arrow keys
  if (target.type === "range") return key === undefined || SLIDER_KEYS.has(key);
  return !NOT_TEXT_INPUTS.has(target.type);
}

/** Whether a window-level key handler of `scope` (an element of the page or of a dialog; null
 * for the page itself) should take this key: not while typing, not when already handled, and
 * only when the key is for the same layer: the page's keys stop while a dialog is open, a
 * dialog's keys work only in that dialog. */
export function keyIsFor(scope: Element | null, event: KeyboardEvent, { allowSelect = false } = {}): boolean {
  if (event.defaultPrevented) return false;
  if (isTypingTarget(event.target, event.key) && !(allowSelect && event.target instanceof HTMLSelectElement)) return false;
  const scopeDialog = scope?.closest("dialog") ?? null;
  const targetDialog = event.target instanceof Element ? event.target.closest("dialog") : null;
  if (targetDialog) return targetDialog === scopeDialog;
  // The focus is on the page (or on nothing): the page's keys, unless a dialog is open.
  return scopeDialog ? scopeDialog.open : document.querySelector("dialog[open]") === null;
}
