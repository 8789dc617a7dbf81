// The loop timeline (the thesis' tables 7.1 and 7.2, from the user's own session): one row per
// adapt or iterate job — the time spent annotating before it, the time waited for each stage,
// and the AP50 it reached on the holdout pool.

export type TimelineJob = {
  id: number;
  kind: string;
  state: string;
  created_at: string;
  finished_at?: string | null;
  timings: Record<string, unknown>;
  result: Record<string, unknown>;
};

/** One annotation's activity: when it was last written, by whom, and the time spent on it.
 * Annotations without an author (imported, or drawn by the demo generator) are not a
 * person's work and are left out. */
export type AnnotationActivity = {
  updated_at: string;
  time_spent_ms: number;
  source: string;
  author_id: number | null;
};

export type TimelineRow = {
  iteration: number;
  jobId: number | null;
  kind: string;
  state: string;
  startedAt: string | null;
  annotatingSeconds: number;
  boxesDrawn: number;
  predictionsAccepted: number;
  queueSeconds: number | null;
  adaptSeconds: number | null;
  detectSeconds: number | null;
  evaluateSeconds: number | null;
  waitingSeconds: number | null;
  ap50: number | null;
  ap50Change: number | null;
};

const LOOP_KINDS = new Set(["adapt", "iterate"]);

const seconds = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function ap50Of(job: TimelineJob): number | null {
  const metrics = job.result?.metrics as Record<string, unknown> | undefined;
  return seconds(metrics?.AP50);
}

function waiting(job: TimelineJob): number | null {
  const total = seconds(job.timings.total);
  if (total != null) return total;
  const parts = ["queue_wait", "adapt", "detect", "evaluate"].map((k) => seconds(job.timings[k]));
  return parts.some((v) => v != null) ? parts.reduce<number>((sum, v) => sum + (v ?? 0), 0) : null;
}

/** Rows in time order; annotations written after the last job form a final "next" row (jobId
 * null) so the time being spent now shows too. */
export function buildTimeline(jobs: readonly TimelineJob[], annotations: readonly AnnotationActivity[]): TimelineRow[] {
  const loopJobs = jobs
    .filter((job) => LOOP_KINDS.has(job.kind))
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
  const activity = annotations
    .filter((a) => a.author_id != null)
    .map((a) => ({ ...a, at: Date.parse(a.updated_at) }))
    .sort((a, b) => a.at - b.at);
  const rows: TimelineRow[] = [];
  let cursor = 0;
  let previousAp50: number | null = null;
  const takeUntil = (limit: number) => {
    let annotatingMs = 0;
    let boxesDrawn = 0;
    let predictionsAccepted = 0;
    while (cursor < activity.length && activity[cursor]!.at <= limit) {
      const item = activity[cursor++]!;
      annotatingMs += item.time_spent_ms;
      if (item.source === "human") boxesDrawn += 1;
      else predictionsAccepted += 1;
    }
    return { annotatingSeconds: annotatingMs / 1000, boxesDrawn, predictionsAccepted };
  };
  loopJobs.forEach((job, index) => {
    const before = takeUntil(Date.parse(job.created_at));
    const ap50 = ap50Of(job);
    rows.push({
      iteration: index + 1,
      jobId: job.id,
      kind: job.kind,
      state: job.state,
      startedAt: job.created_at,
      ...before,
      queueSeconds: seconds(job.timings.queue_wait),
      adaptSeconds: seconds(job.timings.adapt),
      detectSeconds: seconds(job.timings.detect),
      evaluateSeconds: seconds(job.timings.evaluate),
      waitingSeconds: waiting(job),
      ap50,
      ap50Change: ap50 != null && previousAp50 != null ? ap50 - previousAp50 : null,
    });
    if (ap50 != null) previousAp50 = ap50;
  });
  const after = takeUntil(Infinity);
  if (after.boxesDrawn + after.predictionsAccepted > 0) {
    rows.push({
      iteration: loopJobs.length + 1,
      jobId: null,
      kind: "next",
      state: "annotating",
      startedAt: null,
      ...after,
      queueSeconds: null,
      adaptSeconds: null,
      detectSeconds: null,
      evaluateSeconds: null,
      waitingSeconds: null,
      ap50: null,
      ap50Change: null,
    });
  }
  return rows;
}
