import { describe, expect, it } from "vitest";
import { describeApiError } from "./api/errors";
import { fieldLabel, inFormWords, valueLabel } from "./field-labels";

describe("messages in the form's words", () => {
  it("names routine fields and values as the Adapt form does", () => {
    expect(fieldLabel("train_layers")).toBe("Layers trained");
    expect(valueLabel("train_layers", "classifier")).toBe("class layer only");
    expect(fieldLabel("unknown_thing")).toBe("unknown_thing");
  });

  it("rewrites internal assignments and quoted values in a server sentence", () => {
    const message = inFormWords("v2 learned rates for train_layers='classifier' only, not 'head'");
    expect(message).toBe("v2 learned rates for “Layers trained: class layer only” only, not “head only”");
    expect(message).not.toMatch(/train_layers|'classifier'/);
  });

  it("names the fields of routine messages", () => {
    expect(inFormWords("routine.lr does not apply to the metasgd optimizer")).toBe("“Learning rate” does not apply to the Meta-SGD optimizer");
    expect(inFormWords("invalid update routine: train_layers: Input should be 'all', 'head' or 'classifier'")).toBe(
      "invalid update routine: Layers trained: Input should be “all”, “head only” or “class layer only”",
    );
  });

  it("renders validation entries with the field's label", () => {
    const text = describeApiError(422, {
      detail: [{ loc: ["body", "params", "routine", "train_layers"], msg: "Input should be 'all', 'head' or 'classifier'" }],
    });
    expect(text).toBe("Update routine → Layers trained: Input should be “all”, “head only” or “class layer only”");
  });
});
