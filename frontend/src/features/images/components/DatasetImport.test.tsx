import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ImportProblems } from "./DatasetImport";

describe("ImportProblems", () => {
  it("names each bad item and its reason, and how many were left out", () => {
    render(
      <ImportProblems
        problems={[
          { item: "annotations.json: annotation id 537", reason: "bbox [1, NaN, 10, 12]: every number must be finite" },
          { item: "images/b.jpg", reason: "file 'b.jpg' is a damaged or truncated image" },
        ]}
        count={3}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("nothing was stored: 3 problems");
    expect(alert.textContent).toContain("annotations.json: annotation id 537: bbox [1, NaN, 10, 12]");
    expect(alert.textContent).toContain("images/b.jpg");
    expect(alert.textContent).toContain("and 1 more");
  });
});
