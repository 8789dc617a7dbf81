import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { CreateProjectForm } from "./CreateProjectForm";

describe("CreateProjectForm", () => {
  it("goes on to a new class on Enter in a class name instead of submitting", () => {
    const onCreated = vi.fn();
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    render(
      <QueryClientProvider client={new QueryClient()}>
        <CreateProjectForm onCreated={onCreated} />
      </QueryClientProvider>,
    );
    const first = screen.getByLabelText("Class 1 name");
    fireEvent.change(first, { target: { value: "cat" } });
    fireEvent.keyDown(first, { key: "Enter" });
    const second = screen.getByLabelText("Class 2 name");
    expect(document.activeElement).toBe(second);
    fireEvent.change(second, { target: { value: "dog" } });
    fireEvent.keyDown(second, { key: "Enter" });
    expect(screen.getByLabelText("Class 3 name")).toBe(document.activeElement);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(onCreated).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });
});
