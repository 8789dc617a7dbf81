import { describe, expect, it } from "vitest";
import { parseRoutine, routineValues } from "./routine";

describe("the update routine form", () => {
  it("starts from the model card's preset", () => {
    const values = routineValues({ optimizer: "sgd", lr: 0.01, steps: 100, batch_size: 4, early_stopping: false, checkpoints: [10, 100], train_layers: "head" });
    expect(values).toMatchObject({ optimizer: "sgd", lr: "0.01", steps: "100", batch_size: "4", early_stopping: false, checkpoints: "10, 100", train_layers: "head" });
  });

  it("keeps a class-layer-only preset and falls back to all layers for an unknown one", () => {
    expect(routineValues({ train_layers: "classifier" }).train_layers).toBe("classifier");
    expect(parseRoutine(routineValues({ train_layers: "classifier" })).routine?.train_layers).toBe("classifier");
    expect(routineValues({ train_layers: "trunk" }).train_layers).toBe("all");
  });

  it("starts the class layer as the model has it unless the preset asks for prototypes", () => {
    expect(routineValues({}).class_init).toBe("model");
    expect(routineValues({ class_init: "random" }).class_init).toBe("model");
    expect(routineValues({ class_init: "prototype" }).class_init).toBe("prototype");
    expect(parseRoutine({ ...routineValues({}), class_init: "prototype" }).routine?.class_init).toBe("prototype");
  });

  it("keeps a Meta-SGD model's own optimizer", () => {
    expect(routineValues({ optimizer: "metasgd" }).optimizer).toBe("metasgd");
  });

  it("fills the contract's defaults when the preset is missing", () => {
    expect(routineValues(undefined)).toMatchObject({ optimizer: "adam", batch_size: "8", early_stopping: true, checkpoints: "10, 50" });
  });

  it("turns valid values into a routine and drops checkpoints past the last step", () => {
    const check = parseRoutine({ ...routineValues({ steps: 20 }), checkpoints: "5, 50, 20, 5" });
    expect(check.errors).toEqual([]);
    expect(check.routine).toMatchObject({ steps: 20, checkpoints: [5, 20] });
    expect(parseRoutine({ ...routineValues({ steps: 20 }), checkpoints: "10, 0" }).routine?.checkpoints).toEqual([0, 10]);
    expect(parseRoutine({ ...routineValues({ steps: 20 }), checkpoints: "-1" }).errors).toHaveLength(1);
  });

  it("explains what is wrong", () => {
    const check = parseRoutine({ ...routineValues({}), lr: "-1", steps: "2.5", checkpoints: "ten" });
    expect(check.routine).toBeNull();
    expect(check.errors).toHaveLength(3);
  });
});
