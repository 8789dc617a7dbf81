// Dataset import and export (COCO, Pascal VOC, YOLO): the export URL and the import report.
import { ApiError } from "@/lib/api/errors";
import type { Schemas } from "@/lib/api/client";

export type DatasetFormat = "coco" | "voc" | "yolo";
export type ImportReport = Schemas["ImportReport"];
export type ImportProblem = Schemas["ImportProblem"];

/** A refused import (HTTP 422 with every problem listed): nothing was stored. */
export class ImportRefusedError extends ApiError {
  readonly problems: ImportProblem[];
  readonly problemCount: number;
  constructor(message: string, problems: ImportProblem[], problemCount: number) {
    super(422, message);
    this.name = "ImportRefusedError";
    this.problems = problems;
    this.problemCount = problemCount;
  }
}

/** The refusal in a 422 body, if it is one (`{detail, problems, problem_count}`). */
export function refusalOf(body: unknown): ImportRefusedError | null {
  const b = body as { detail?: unknown; problems?: unknown; problem_count?: unknown } | null;
  if (!b || typeof b.detail !== "string" || !Array.isArray(b.problems)) return null;
  const count = typeof b.problem_count === "number" ? b.problem_count : b.problems.length;
  return new ImportRefusedError(b.detail, b.problems as ImportProblem[], count);
}

/** The download URL of a project's annotations as a zip; `withTicket` adds a files ticket (a
 * link cannot send the Authorization header). */
export function exportUrl(
  projectId: number,
  options: { format: DatasetFormat; pool: "adapt" | "holdout" | "all"; images: boolean },
  withTicket: (path: string) => string = (path) => path,
): string {
  const query = new URLSearchParams({ format: options.format, pool: options.pool, images: String(options.images) });
  return withTicket(`/api/projects/${projectId}/exports?${query}`);
}

const s = (n: number, word: string, plural = `${word}s`) => `${n} ${n === 1 ? word : plural}`;

/** An import report as one sentence. */
export function describeReport(report: ImportReport): string {
  const parts = [`${s(report.images_added, "image")} added`];
  if (report.images_matched) parts.push(`${s(report.images_matched, "existing image")} updated`);
  parts.push(s(report.annotations, "box", "boxes"));
  if (report.classes_added.length) parts.push(`classes added: ${report.classes_added.join(", ")}`);
  if (report.boxes_clipped) parts.push(`${s(report.boxes_clipped, "box", "boxes")} clipped to the image`);
  const pools = Object.entries(report.pools).map(([pool, n]) => `${n} ${pool}`);
  return `Imported (${report.format.toUpperCase()}): ${parts.join(", ")}${pools.length ? ` (${pools.join(", ")})` : ""}.`;
}

export type ReviewStatus = "pending" | "accepted" | "rejected";
export const REVIEW_STATUSES: ReviewStatus[] = ["pending", "accepted", "rejected"];

/** The download URL of a job's predictions (with scores) as a zip. `statuses` keeps those review
 * statuses (each a repeated `status` parameter); all three, or none given, is every prediction
 * and sends no filter. */
export function predictionsExportUrl(
  projectId: number,
  jobId: number,
  options: { format: DatasetFormat; images: boolean; statuses?: readonly ReviewStatus[] },
  withTicket: (path: string) => string = (path) => path,
): string {
  const query = new URLSearchParams({ format: options.format, images: String(options.images) });
  const statuses = REVIEW_STATUSES.filter((s) => options.statuses?.includes(s));
  if (statuses.length > 0 && statuses.length < REVIEW_STATUSES.length) statuses.forEach((s) => query.append("status", s));
  return withTicket(`/api/projects/${projectId}/jobs/${jobId}/predictions/export?${query}`);
}
