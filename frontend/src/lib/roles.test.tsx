import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { deniedReason, may, ProjectRoleProvider, useRoleGate, type ProjectAction, type ProjectRole } from "./roles";

describe("roles", () => {
  it("follows the server's ranks: viewer reads, annotator annotates and starts jobs, owner manages", () => {
    expect(may("viewer", "annotate")).toBe(false);
    expect(may("viewer", "startJobs")).toBe(false);
    expect(may("annotator", "annotate")).toBe(true);
    expect(may("annotator", "startJobs")).toBe(true);
    expect(may("annotator", "manage")).toBe(false);
    expect(may("owner", "manage")).toBe(true);
    expect(may(null, "annotate")).toBe(false);
  });

  it("says why in plain words", () => {
    expect(deniedReason("viewer", "startJobs")).toMatch(/^Viewers cannot start jobs/);
    expect(deniedReason("annotator", "manage")).toMatch(/^Annotators cannot change the project's settings/);
    expect(deniedReason("owner", "manage")).toBeNull();
  });

  function Gated({ action }: { action: ProjectAction }) {
    const gate = useRoleGate(action);
    return (
      <>
        <button type="button" {...gate.control}>Adapt</button>
        {gate.note}
      </>
    );
  }
  const renderAs = (role: ProjectRole, action: ProjectAction) =>
    render(
      <ProjectRoleProvider role={role}>
        <Gated action={action} />
      </ProjectRoleProvider>,
    );

  it("disables a control the role may not use, with the reason as its title and description", () => {
    renderAs("viewer", "startJobs");
    const button = screen.getByRole("button", { name: "Adapt" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(/^Viewers cannot start jobs/);
    const note = document.getElementById(button.getAttribute("aria-describedby")!);
    expect(note?.textContent).toBe(button.title);
  });

  it("leaves a control alone when the role may use it", () => {
    renderAs("annotator", "startJobs");
    const button = screen.getByRole("button", { name: "Adapt" }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    expect(button.hasAttribute("aria-describedby")).toBe(false);
    expect(screen.queryByTestId("role-reason")).toBeNull();
  });
});
