// The update routine form's values (docs/contracts.md §3): from a model's preset, which the server
// fills in over the routine's defaults (contracts/routine.py), to the job's `routine` parameter.
// The types are generated from the server's schema.
import type { Schemas } from "@/lib/api/client";

export type Optimizer = Schemas["Optimizer"];
export type TrainLayers = Schemas["TrainLayers"];
// the class layer before the first step: the model's rows, or from the annotated classes' prototypes
export type ClassInit = Schemas["ClassInit"];
/** A complete routine, as a model's `preset` holds it. */
export type Routine = Schemas["Routine"];
/** What the form sends: the fields it shows (the others keep the preset's value). No `lr` with the
 * Meta-SGD optimizer: it steps each weight by the rate the model learned (the server refuses one). */
export type RoutineRequest = Pick<Routine, "optimizer" | "steps" | "batch_size" | "early_stopping" | "checkpoints" | "train_layers" | "class_init" | "seed"> & { lr?: number };

/** Whether the optimizer takes a learning rate (Meta-SGD uses the model's learned rates). */
export const takesLearningRate = (optimizer: Optimizer) => optimizer !== "metasgd";

export type RoutineValues = {
  optimizer: Optimizer;
  lr: string;
  steps: string;
  batch_size: string;
  early_stopping: boolean;
  checkpoints: string;
  train_layers: TrainLayers;
  class_init: ClassInit;
  seed: string;
};

/** Form values from a model's preset. */
export function routineValues(preset: Routine): RoutineValues {
  return {
    optimizer: preset.optimizer,
    lr: String(preset.lr),
    steps: String(preset.steps),
    batch_size: String(preset.batch_size),
    early_stopping: preset.early_stopping,
    checkpoints: preset.checkpoints.join(", "),
    train_layers: preset.train_layers,
    class_init: preset.class_init,
    seed: String(preset.seed),
  };
}

export type RoutineCheck = { routine: RoutineRequest; errors: [] } | { routine: null; errors: string[] };

/** Validate the form; checkpoints past the step count are dropped (the server does the same). */
export function parseRoutine(values: RoutineValues): RoutineCheck {
  const errors: string[] = [];
  const lr = Number(values.lr);
  const steps = Number(values.steps);
  const batch = Number(values.batch_size);
  const seed = Number(values.seed);
  const withLr = takesLearningRate(values.optimizer);
  if (withLr && (!(lr > 0) || !Number.isFinite(lr))) errors.push("Learning rate must be a number above 0.");
  if (!Number.isInteger(steps) || steps < 1) errors.push("Steps must be a whole number of at least 1.");
  if (!Number.isInteger(batch) || batch < 1) errors.push("Batch size must be a whole number of at least 1.");
  if (!Number.isInteger(seed)) errors.push("Seed must be a whole number.");
  const parts = values.checkpoints.split(/[\s,;]+/).filter(Boolean);
  const checkpoints = parts.map(Number);
  if (checkpoints.some((c) => !Number.isInteger(c) || c < 0)) errors.push("Checkpoints must be step numbers, e.g. 0, 10, 50 (0: before the first step).");
  if (errors.length) return { routine: null, errors };
  return {
    routine: {
      optimizer: values.optimizer,
      ...(withLr ? { lr } : {}),
      steps,
      batch_size: batch,
      early_stopping: values.early_stopping,
      checkpoints: [...new Set(checkpoints.filter((c) => c <= steps))].sort((a, b) => a - b),
      train_layers: values.train_layers,
      class_init: values.class_init,
      seed,
    },
    errors: [],
  };
}
