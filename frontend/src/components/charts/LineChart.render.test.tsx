// The chart as rendered: a single point (the first loss of a run) still gets a readable axis.
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { LineChart } from "./LineChart";

function yLabels(container: HTMLElement): string[] {
  // y tick labels are the texts anchored at the end (right-aligned against the plot)
  return Array.from(container.querySelectorAll('text[text-anchor="end"]')).map((t) => t.textContent ?? "");
}

describe("LineChart with one point", () => {
  it("spreads a log axis around the single value, with distinct labels", () => {
    const { container } = render(<LineChart title="Adaptation loss" xLabel="adaptation step" yLabel="loss (log scale)" logY integerX series={[{ name: "loss", color: "#000", points: [[0, 3]] }]} />);
    const labels = yLabels(container);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("spreads a linear axis around a single value", () => {
    const { container } = render(<LineChart title="AP50" xLabel="images" yLabel="AP50" series={[{ name: "ap", color: "#000", points: [[5, 0]] }]} />);
    expect(yLabels(container).length).toBeGreaterThanOrEqual(2);
  });
});
