import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { CLASS_PALETTE, nextClassColor, plainError, readOnlyReason } from "./settings";

describe("nextClassColor", () => {
  it("takes the first palette colour no class has, whatever its case", () => {
    expect(nextClassColor([])).toBe(CLASS_PALETTE[0]);
    expect(nextClassColor([CLASS_PALETTE[0]!.toUpperCase(), CLASS_PALETTE[2]!])).toBe(CLASS_PALETTE[1]);
  });
  it("goes round again when every colour is taken", () => {
    expect(nextClassColor([...CLASS_PALETTE, "#000000"])).toBe(CLASS_PALETTE[1]);
  });
});

describe("plainError", () => {
  it("rewords the REST API's terms", () => {
    expect(plainError(new ApiError(409, "class 'car' is used by 3 annotations; delete or relabel them first"))).toBe(
      "Class 'car' is still used by 3 boxes: relabel or delete them in Annotate first, then delete the class.",
    );
    expect(plainError(new ApiError(409, "class 'bus' is used by 1 annotations; delete or relabel them first"))).toMatch(/^Class 'bus' is still used by 1 box: relabel or delete it in/);
    expect(plainError(new ApiError(409, "bob is a member already; change the role with PATCH"))).toBe(
      "Bob is a member already: change their role in the list instead.",
    );
    expect(plainError(new ApiError(404, "user 'nobody' not found"))).toMatch(/^There is no user called 'nobody': they need an account/);
    expect(plainError(new ApiError(409, "a project needs at least one owner"))).toBe(
      "A project needs at least one owner: make someone else an owner first.",
    );
  });
  it("starts other messages with a capital and ends them with a full stop", () => {
    expect(plainError(new ApiError(404, "label class 9 not found in project 2"))).toBe("Label class 9 not found in project 2.");
    expect(plainError(new ApiError(403, "You do not have permission to do this."))).toBe("You do not have permission to do this.");
  });
});

describe("readOnlyReason", () => {
  it("says why a role cannot change a setting, and nothing when it can", () => {
    expect(readOnlyReason("owner", "owner")).toBeNull();
    expect(readOnlyReason("annotator", "annotator")).toBeNull();
    expect(readOnlyReason("annotator", "owner")).toMatch(/owners.*you are an annotator/);
    expect(readOnlyReason("viewer", "owner")).toMatch(/you are a viewer/);
    expect(readOnlyReason("viewer", "annotator")).toMatch(/Viewers cannot/);
  });
});
