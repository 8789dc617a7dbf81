// What a model's metrics (or an adapt job's result) say about the adaptation that made it:
// whether its loss blew up (diverged: the best weights before it were kept) and why it stopped.

export type AdaptationOutcome = { diverged: boolean; stopReason: string | null; bestStep: number | null };

const asNumber = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function adaptationOutcome(values: Record<string, unknown> | null | undefined): AdaptationOutcome {
  const m = values ?? {};
  return {
    diverged: m.diverged === true,
    stopReason: typeof m.stop_reason === "string" && m.stop_reason ? m.stop_reason : null,
    bestStep: asNumber(m.best_step),
  };
}

/** One sentence for a diverged or early-stopped adaptation (the server's reason already says
 * which weights were kept), null when it ran normally. */
export function describeAdaptation(outcome: AdaptationOutcome): string | null {
  if (outcome.diverged) {
    return outcome.stopReason
      ? `The adaptation diverged: ${outcome.stopReason}.`
      : `The adaptation diverged; the weights${outcome.bestStep != null ? ` of step ${outcome.bestStep}` : ""} before it were kept.`;
  }
  if (outcome.stopReason) {
    const reason = outcome.stopReason;
    return /^early stopping/i.test(reason) ? `${reason[0]!.toUpperCase()}${reason.slice(1)}.` : `The adaptation stopped early: ${reason}.`;
  }
  return null;
}
