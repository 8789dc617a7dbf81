import type { Schemas } from "@/lib/api/client";

/** An image's annotation state: unlabelled, in progress (some objects boxed, maybe not all), or
 * complete (a person confirmed every object is boxed; with no box, a negative image). */
export type ImageState = Schemas["ImageOut"]["state"];

export const IMAGE_STATE_LABEL: Record<ImageState, string> = {
  unlabelled: "unlabelled",
  in_progress: "in progress",
  complete: "complete",
};

const TITLE: Record<ImageState, string> = {
  unlabelled: "No box yet",
  in_progress: "Some objects boxed, maybe not all: not trained on or evaluated until marked complete",
  complete: "Every object is boxed (confirmed by a person); with no box, a negative image",
};

export function ImageStateBadge({ state, negative = false, testId }: { state: ImageState; negative?: boolean; testId?: string }) {
  return (
    <span className={`badge image-state image-state--${state}`} title={TITLE[state]} data-state={state} data-testid={testId}>
      {IMAGE_STATE_LABEL[state]}
      {state === "complete" && negative ? " (negative)" : ""}
    </span>
  );
}
