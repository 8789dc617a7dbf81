// Reading the metrics endpoint: a model may have been evaluated several times; the tables show
// its latest evaluation (the highest job id), overall and per class.

export type MetricRow = { job_id: number | null; class_id: number | null; class_name: string | null; name: string; value: number; step: number | null };
export type CurveRow = { job_id: number | null; class_id: number | null; class_name: string | null; iou: number; recall: number[]; precision: number[] };

export const COCO_ROWS: { name: string; label: string }[] = [
  { name: "AP", label: "AP @[.5:.95]" },
  { name: "AP50", label: "AP50" },
  { name: "AP75", label: "AP75" },
  { name: "APs", label: "AP small" },
  { name: "APm", label: "AP medium" },
  { name: "APl", label: "AP large" },
  { name: "AR1", label: "AR 1" },
  { name: "AR10", label: "AR 10" },
  { name: "AR100", label: "AR 100" },
];

export type Evaluation = {
  jobId: number | null;
  overall: Record<string, number>;
  perClass: { classId: number; className: string; values: Record<string, number> }[];
  curves: CurveRow[];
};

export function latestEvaluation(metrics: readonly MetricRow[], curves: readonly CurveRow[] = []): Evaluation | null {
  const evaluated = metrics.filter((m) => m.step == null);
  if (evaluated.length === 0) return null;
  const jobId = evaluated.reduce<number | null>((best, m) => (m.job_id != null && (best == null || m.job_id > best) ? m.job_id : best), null);
  const rows = evaluated.filter((m) => m.job_id === jobId);
  const overall: Record<string, number> = {};
  const perClass = new Map<number, { classId: number; className: string; values: Record<string, number> }>();
  for (const row of rows) {
    if (row.class_id == null) {
      overall[row.name] = row.value;
    } else {
      const entry = perClass.get(row.class_id) ?? { classId: row.class_id, className: row.class_name ?? String(row.class_id), values: {} };
      entry.values[row.name] = row.value;
      perClass.set(row.class_id, entry);
    }
  }
  return {
    jobId,
    overall,
    perClass: [...perClass.values()].sort((a, b) => a.className.localeCompare(b.className)),
    curves: curves.filter((c) => c.job_id === jobId),
  };
}

/** [step, value] pairs of one metric at the adaptation checkpoints. */
export function checkpointSeries(checkpoints: readonly { step: number; metrics: Record<string, number> }[], name: string): [number, number][] {
  return checkpoints
    .filter((c) => typeof c.metrics[name] === "number")
    .map((c): [number, number] => [c.step, c.metrics[name]!])
    .sort((a, b) => a[0] - b[0]);
}
