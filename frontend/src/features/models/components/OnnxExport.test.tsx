import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ProjectRoleProvider, useRoleGate, type ProjectRole } from "@/lib/roles";
import { OnnxExportControl, type ExportJob } from "./OnnxExport";

function Control({ latest, href, onStart, starting = false }: { latest: ExportJob | null; href: string | null; onStart: () => void; starting?: boolean }) {
  const gate = useRoleGate("startJobs");
  return (
    <>
      {gate.note}
      <OnnxExportControl modelName="v2" latest={latest} downloadHref={href} starting={starting} startError={null} onStart={onStart} gate={gate} />
    </>
  );
}

const job = (state: string, extra: Partial<ExportJob> = {}): ExportJob => ({ id: 7, state, progress: 0.4, stage: "export_onnx: exporting", error: null, ...extra });

function renderAs(role: ProjectRole, latest: ExportJob | null, href: string | null = null, starting = false) {
  const onStart = vi.fn();
  render(
    <ProjectRoleProvider role={role}>
      <Control latest={latest} href={href} onStart={onStart} starting={starting} />
    </ProjectRoleProvider>,
  );
  const button = screen.getByRole("button", { name: /Export ONNX|Exporting/ }) as HTMLButtonElement;
  return { onStart, button };
}

describe("OnnxExportControl", () => {
  it("starts an export for an annotator, and offers no download before one has finished", () => {
    const { onStart, button } = renderAs("annotator", null);
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe("Export ONNX of v2");
    fireEvent.click(button);
    expect(onStart).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.queryByTestId("role-reason")).toBeNull();
  });

  it("is disabled with the reason for a viewer, who may still download a finished export", () => {
    const { onStart, button } = renderAs("viewer", job("succeeded", { progress: 1 }), "/api/projects/1/models/3/onnx?ticket=t");
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(/^Viewers cannot start jobs/);
    const reason = screen.getByTestId("role-reason");
    expect(button.getAttribute("aria-describedby")).toBe(reason.id);
    fireEvent.click(button);
    expect(onStart).not.toHaveBeenCalled();
    const link = screen.getByRole("link", { name: "Download .onnx of v2" });
    expect(link.getAttribute("href")).toBe("/api/projects/1/models/3/onnx?ticket=t");
    expect(link.hasAttribute("download")).toBe(true);
  });

  it("shows a running export's progress and stage, and cannot start another meanwhile", () => {
    const { button } = renderAs("owner", job("running"));
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain("Exporting…");
    expect(screen.getByRole("progressbar", { name: "ONNX export of v2" }).getAttribute("aria-valuenow")).toBe("40");
    expect(screen.getByTestId("onnx-stage").textContent).toBe("export_onnx: exporting");
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("is disabled while the request to start is on its way", () => {
    const { button } = renderAs("annotator", null, null, true);
    expect(button.disabled).toBe(true);
  });

  it("says why an export failed and lets it be tried again; an older finished export still downloads", () => {
    const { button } = renderAs("annotator", job("failed", { error: "export_onnx task 9 failed: boom" }), "");
    expect(button.disabled).toBe(false);
    expect(screen.getByRole("alert").textContent).toContain("export_onnx task 9 failed: boom");
    // without an href (the ticket is on its way) an anchor is no link yet: found by its text
    const link = screen.getByText("Download .onnx").closest("a") as HTMLAnchorElement;
    expect(link.getAttribute("aria-disabled")).toBe("true");
    expect(link.hasAttribute("href")).toBe(false);
  });
});
