import { errorMessage } from "@/lib/api/errors";
import { plural } from "@/lib/format";

export type BulkOutcome = { done: number[]; failed: { id: number; reason: string }[] };

/** Run `action` on each id in turn, going on past failures, and say which succeeded. */
export async function runEach(ids: readonly number[], action: (id: number) => Promise<unknown>): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: [], failed: [] };
  for (const id of ids) {
    try {
      await action(id);
      outcome.done.push(id);
    } catch (error) {
      outcome.failed.push({ id, reason: errorMessage(error) });
    }
  }
  return outcome;
}

/** "3 images deleted." or "2 images deleted; 1 not: image 7: Not found." */
export function describeDeletes({ done, failed }: BulkOutcome): string {
  const deleted = `${plural(done.length, "image")} deleted`;
  if (!failed.length) return `${deleted}.`;
  const reasons = failed.slice(0, 3).map((f) => `image ${f.id}: ${f.reason}`).join("; ");
  const more = failed.length > 3 ? `; and ${failed.length - 3} more` : "";
  return `${deleted}; ${failed.length} not (${reasons}${more}).`;
}

/** The other pool: where a single image's move button sends it. */
export function otherPool(pool: string): "adapt" | "holdout" {
  return pool === "adapt" ? "holdout" : "adapt";
}
