import { describe, expect, it } from "vitest";
import { describeReport, exportUrl, ImportRefusedError, predictionsExportUrl, refusalOf } from "./dataset";

describe("dataset import and export", () => {
  it("builds the export URL, with a files ticket for a download link", () => {
    const withTicket = (path: string) => `${path}&ticket=t1`;
    expect(exportUrl(3, { format: "yolo", pool: "all", images: false }, withTicket)).toBe(
      "/api/projects/3/exports?format=yolo&pool=all&images=false&ticket=t1",
    );
    expect(exportUrl(3, { format: "coco", pool: "holdout", images: true })).toBe("/api/projects/3/exports?format=coco&pool=holdout&images=true");
  });

  it("builds the predictions export URL: a status parameter per chosen review status, none for all", () => {
    const base = "/api/projects/3/jobs/9/predictions/export?format=coco&images=false";
    expect(predictionsExportUrl(3, 9, { format: "coco", images: false })).toBe(base);
    expect(predictionsExportUrl(3, 9, { format: "coco", images: false, statuses: ["rejected", "pending", "accepted"] })).toBe(base);
    expect(predictionsExportUrl(3, 9, { format: "coco", images: false, statuses: ["accepted"] })).toBe(`${base}&status=accepted`);
    expect(predictionsExportUrl(3, 9, { format: "yolo", images: true, statuses: ["rejected", "pending"] }, (path) => `${path}&ticket=t1`)).toBe(
      "/api/projects/3/jobs/9/predictions/export?format=yolo&images=true&status=pending&status=rejected&ticket=t1",
    );
  });

  it("reads a refusal's problems, and nothing else as one", () => {
    const refusal = refusalOf({ detail: "import refused", problems: [{ item: "a.json: annotation id 7", reason: "bbox [nan]" }], problem_count: 2 });
    expect(refusal).toBeInstanceOf(ImportRefusedError);
    expect(refusal?.status).toBe(422);
    expect(refusal?.problems[0].item).toBe("a.json: annotation id 7");
    expect(refusal?.problemCount).toBe(2);
    expect(refusalOf({ detail: "not found" })).toBeNull();
    expect(refusalOf(undefined)).toBeNull();
  });

  it("describes a report", () => {
    expect(
      describeReport({
        format: "coco",
        images_added: 3,
        images_matched: 0,
        annotations: 1,
        classes_added: ["bird"],
        boxes_clipped: 0,
        pools: { adapt: 2, holdout: 1 },
        skipped_files: [],
      }),
    ).toBe("Imported (COCO): 3 images added, 1 box, classes added: bird (2 adapt, 1 holdout).");
  });
});
