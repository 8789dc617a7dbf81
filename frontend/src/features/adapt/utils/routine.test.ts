import { describe, expect, it } from "vitest";
import { parseRoutine, routineValues, type Routine } from "./routine";

// a model's preset as the server sends it (every field filled in)
const preset = (fields: Partial<Routine> = {}): Routine => ({
  optimizer: "adam", lr: 0.001, steps: 50, batch_size: 8, early_stopping: true, checkpoints: [10, 50],
  train_layers: "all", class_init: "model", class_init_scale: 3, seed: 0, ...fields,
});

describe("the update routine form", () => {
  it("starts from the model's preset", () => {
    const values = routineValues(preset({ optimizer: "sgd", lr: 0.01, steps: 100, batch_size: 4, early_stopping: false, checkpoints: [10, 100], train_layers: "head" }));
    expect(values).toMatchObject({ optimizer: "sgd", lr: "0.01", steps: "100", batch_size: "4", early_stopping: false, checkpoints: "10, 100", train_layers: "head" });
  });

  it("keeps a class-layer-only, prototype-start or Meta-SGD preset", () => {
    const values = routineValues(preset({ train_layers: "classifier", class_init: "prototype", optimizer: "metasgd" }));
    expect(values).toMatchObject({ train_layers: "classifier", class_init: "prototype", optimizer: "metasgd" });
    expect(parseRoutine(values).routine).toMatchObject({ train_layers: "classifier", class_init: "prototype", optimizer: "metasgd" });
  });

  it("sends no learning rate with Meta-SGD (it uses the model's learned rates), and does not check it", () => {
    const values = { ...routineValues(preset({ optimizer: "metasgd" })), lr: "" };
    const check = parseRoutine(values);
    expect(check.errors).toEqual([]);
    expect(check.routine).not.toHaveProperty("lr");
    expect(parseRoutine({ ...values, optimizer: "adam", lr: "0.01" }).routine).toMatchObject({ optimizer: "adam", lr: 0.01 });
  });

  it("turns valid values into a routine and drops checkpoints past the last step", () => {
    const check = parseRoutine({ ...routineValues(preset({ steps: 20 })), checkpoints: "5, 50, 20, 5" });
    expect(check.errors).toEqual([]);
    expect(check.routine).toMatchObject({ steps: 20, checkpoints: [5, 20] });
    expect(parseRoutine({ ...routineValues(preset({ steps: 20 })), checkpoints: "10, 0" }).routine?.checkpoints).toEqual([0, 10]);
    expect(parseRoutine({ ...routineValues(preset({ steps: 20 })), checkpoints: "-1" }).errors).toHaveLength(1);
  });

  it("explains what is wrong", () => {
    const check = parseRoutine({ ...routineValues(preset()), lr: "-1", steps: "2.5", checkpoints: "ten" });
    expect(check.routine).toBeNull();
    expect(check.errors).toHaveLength(3);
  });
});
