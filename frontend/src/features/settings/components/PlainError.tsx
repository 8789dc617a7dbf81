import { plainError } from "../utils/settings";

/** An API refusal in the words of the settings page; announced to screen readers. */
export function PlainError({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="error-message" role="alert">
      {title && <strong>{title}: </strong>}
      {plainError(error)}
    </div>
  );
}
