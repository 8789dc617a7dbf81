import { describe, expect, it } from "vitest";
import { adaptationOutcome, describeAdaptation } from "./adaptation";

describe("what an adaptation's metrics say", () => {
  it("names a divergence, its reason and the weights kept", () => {
    const reason = "the loss was not finite at step 12 (adam, lr 0.01); the weights after step 10, whose loss was 0.31 (at step 10), are kept";
    const outcome = adaptationOutcome({ diverged: true, stop_reason: reason, best_step: 10 });
    expect(outcome).toEqual({ diverged: true, stopReason: reason, bestStep: 10 });
    expect(describeAdaptation(outcome)).toBe(`The adaptation diverged: ${reason}.`);
    expect(describeAdaptation(adaptationOutcome({ diverged: true, best_step: 4 }))).toBe("The adaptation diverged; the weights of step 4 before it were kept.");
  });

  it("says nothing about a run that went normally, or about a shipped model", () => {
    expect(describeAdaptation(adaptationOutcome({ diverged: false, steps_run: 50 }))).toBeNull();
    expect(describeAdaptation(adaptationOutcome(undefined))).toBeNull();
  });

  it("tells an early stop without divergence", () => {
    expect(describeAdaptation(adaptationOutcome({ diverged: false, stop_reason: "early stopping: the loss rose" }))).toBe("Early stopping: the loss rose.");
    expect(describeAdaptation(adaptationOutcome({ stop_reason: "no improvement" }))).toBe("The adaptation stopped early: no improvement.");
  });
});
