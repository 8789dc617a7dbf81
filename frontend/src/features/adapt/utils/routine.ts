// The update routine form's values (docs/contracts.md §3) and their conversion from a model
// card's preset and to the job's `routine` parameter.

export type Optimizer = "adam" | "sgd" | "metasgd";
export type TrainLayers = "all" | "head" | "classifier";
// the class layer before the first step: the model's rows, or from the annotated classes' prototypes
export type ClassInit = "model" | "prototype";

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

export type Routine = {
  optimizer: Optimizer;
  lr: number;
  steps: number;
  batch_size: number;
  early_stopping: boolean;
  checkpoints: number[];
  train_layers: TrainLayers;
  class_init: ClassInit;
  seed: number;
};

const num = (value: unknown, fallback: number) => (typeof value === "number" && Number.isFinite(value) ? value : fallback);

/** Form values from a preset (a model card's `preset`, or a model's routine); missing fields
 * take the contract's defaults. */
export function routineValues(preset: Record<string, unknown> | null | undefined): RoutineValues {
  const p = preset ?? {};
  const steps = num(p.steps, 50);
  const checkpoints = Array.isArray(p.checkpoints) ? (p.checkpoints as unknown[]).filter((c): c is number => typeof c === "number") : [Math.min(10, steps), steps];
  return {
    optimizer: p.optimizer === "sgd" || p.optimizer === "metasgd" ? p.optimizer : "adam",
    lr: String(num(p.lr, 0.001)),
    steps: String(steps),
    batch_size: String(num(p.batch_size, 8)),
    early_stopping: typeof p.early_stopping === "boolean" ? p.early_stopping : true,
    checkpoints: [...new Set(checkpoints)].join(", "),
    train_layers: p.train_layers === "head" || p.train_layers === "classifier" ? p.train_layers : "all",
    class_init: p.class_init === "prototype" ? "prototype" : "model",
    seed: String(num(p.seed, 0)),
  };
}

export type RoutineCheck = { routine: Routine; errors: [] } | { routine: null; errors: string[] };

/** Validate the form; checkpoints past the step count are dropped (the server does the same). */
export function parseRoutine(values: RoutineValues): RoutineCheck {
  const errors: string[] = [];
  const lr = Number(values.lr);
  const steps = Number(values.steps);
  const batch = Number(values.batch_size);
  const seed = Number(values.seed);
  if (!(lr > 0) || !Number.isFinite(lr)) errors.push("Learning rate must be a number above 0.");
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
      lr,
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
