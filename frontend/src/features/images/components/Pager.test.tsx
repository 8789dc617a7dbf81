import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Pager } from "./Pager";

describe("Pager", () => {
  it("shows an exact total and stops at the last page", () => {
    const onOffset = vi.fn();
    render(<Pager offset={200} limit={100} total={250} onOffset={onOffset} />);
    expect(screen.getByRole("navigation").textContent).toContain("201–250 of 250");
    expect(screen.getByRole("button", { name: /Next/ })).toHaveProperty("disabled", true);
    fireEvent.click(screen.getByRole("button", { name: /Previous/ }));
    expect(onOffset).toHaveBeenCalledWith(100);
  });

  it("shows a capped total as 10,000+ and pages on while the server has a next page", () => {
    const onOffset = vi.fn();
    const { rerender } = render(<Pager offset={9900} limit={100} total={10000} exact={false} hasNext onOffset={onOffset} />);
    expect(screen.getByRole("navigation").textContent).toContain("9901–10000 of 10,000+");
    fireEvent.click(screen.getByRole("button", { name: /Next/ }));
    expect(onOffset).toHaveBeenCalledWith(10000);
    rerender(<Pager offset={10000} limit={100} total={10000} exact={false} hasNext={false} onOffset={onOffset} />);
    expect(screen.getByRole("button", { name: /Next/ })).toHaveProperty("disabled", true);
  });

  it("is not shown when one page holds everything", () => {
    const { container } = render(<Pager offset={0} limit={100} total={40} onOffset={() => {}} />);
    expect(container.textContent).toBe("");
  });
});
