// The `?` overlay lists what the page declares in the shortcut registry, and nothing while the
// person types.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { useShortcuts } from "@/lib/shortcuts";
import { ShortcutHelp } from "./ShortcutHelp";

function Page({ withKeys }: { withKeys: boolean }) {
  useShortcuts(withKeys ? { id: "page", title: "Review", shortcuts: [{ keys: [["Ctrl", "Z"]], action: "Undo the last bulk action" }] } : null);
  return <input aria-label="Search" />;
}

function setup(withKeys = true) {
  return render(
    <MemoryRouter initialEntries={["/projects/1/review"]}>
      <ShortcutHelp />
      <Page withKeys={withKeys} />
    </MemoryRouter>,
  );
}

const overlay = () => screen.queryByTestId("shortcut-help");

describe("ShortcutHelp", () => {
  it("opens on ? with the page's shortcuts and the ones that work everywhere", () => {
    setup();
    expect(overlay()).toBeNull();
    act(() => void fireEvent.keyDown(document.body, { key: "?" }));
    const shown = overlay()!;
    expect(shown.textContent).toContain("Undo the last bulk action");
    expect(shown.textContent).toContain("Show or hide this list of shortcuts");
    expect(screen.getByRole("heading", { name: "Review" })).toBeTruthy();
    act(() => void fireEvent.keyDown(shown, { key: "?" }));
    expect(overlay()).toBeNull();
  });

  it("does not open while typing in a field", () => {
    setup();
    fireEvent.keyDown(screen.getByLabelText("Search"), { key: "?" });
    expect(overlay()).toBeNull();
  });

  it("opens from its button and says when the page has no keys of its own", () => {
    setup(false);
    fireEvent.click(screen.getByRole("button", { name: /Shortcuts/ }));
    expect(overlay()!.textContent).toContain("The review page has no keys of its own.");
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(overlay()).toBeNull();
  });
});
