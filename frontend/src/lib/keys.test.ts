import { afterEach, describe, expect, it } from "vitest";
import { isTypingTarget, keyIsFor } from "./keys";

const make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, parent: Element = document.body) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  parent.appendChild(element);
  return element;
};
const keydown = (target: Element, key: string) => {
  const event = new KeyboardEvent("keydown", { key, bubbles: true });
  target.dispatchEvent(event);
  return event;
};

afterEach(() => {
  document.body.innerHTML = "";
});

describe("keys", () => {
  it("takes text fields and lists as typing, buttons and checkboxes not, sliders only for their arrows", () => {
    expect(isTypingTarget(make("input"), "+")).toBe(true);
    expect(isTypingTarget(make("textarea"), "+")).toBe(true);
    expect(isTypingTarget(make("select"), "2")).toBe(true);
    expect(isTypingTarget(make("button"), "+")).toBe(false);
    expect(isTypingTarget(make("input", { type: "checkbox" }), "+")).toBe(false);
    const slider = make("input", { type: "range" });
    expect(isTypingTarget(slider, "?")).toBe(false);
    expect(isTypingTarget(slider, "ArrowLeft")).toBe(true);
    expect(isTypingTarget(document.body, "?")).toBe(false);
  });

  it("gives a page's keys to the page only while no dialog is open, and a dialog's keys to that dialog", () => {
    const pageButton = make("button");
    const dialog = make("dialog");
    const inDialog = make("button", {}, dialog);
    let seen: boolean[] = [];
    const listen = (scope: Element | null) => (event: KeyboardEvent) => seen.push(keyIsFor(scope, event));
    const pageListener = listen(null);
    window.addEventListener("keydown", pageListener);
    keydown(pageButton, "d");
    expect(seen).toEqual([true]);
    dialog.setAttribute("open", "");
    seen = [];
    keydown(pageButton, "d");
    keydown(inDialog, "d");
    expect(seen).toEqual([false, false]);
    window.removeEventListener("keydown", pageListener);
    const dialogListener = listen(inDialog);
    window.addEventListener("keydown", dialogListener);
    seen = [];
    keydown(inDialog, "2");
    keydown(make("button", {}, make("dialog", { open: "" })), "2");
    expect(seen).toEqual([true, false]);
    window.removeEventListener("keydown", dialogListener);
  });
});
