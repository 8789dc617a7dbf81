// The words the web client uses for the update routine's fields and values (the Adapt page's
// form), so that an error never shows an internal name such as `train_layers='classifier'`.

export const FIELD_LABELS: Record<string, string> = {
  optimizer: "Optimizer",
  lr: "Learning rate",
  steps: "Steps",
  batch_size: "Batch size",
  checkpoints: "Checkpoints (steps)",
  train_layers: "Layers trained",
  class_init: "Class layer at the start",
  class_init_scale: "Class layer scale",
  seed: "Seed",
  early_stopping: "Early stopping",
  routine: "Update routine",
  model_id: "Model",
  score_threshold: "Score threshold",
  max_detections: "Most detections per image",
  working_scale: "Working scale",
};

export const VALUE_LABELS: Record<string, Record<string, string>> = {
  optimizer: { adam: "Adam", sgd: "SGD", metasgd: "Meta-SGD" },
  train_layers: { all: "all", head: "head only", classifier: "class layer only" },
  class_init: { model: "the model's", prototype: "from the prototypes" },
};

/** The label of a field (its internal name when there is none). */
export function fieldLabel(name: string): string {
  return FIELD_LABELS[name] ?? name;
}

/** The label of one of a field's values. */
export function valueLabel(field: string, value: string): string {
  return VALUE_LABELS[field]?.[value] ?? value;
}

const ASSIGNMENT = /\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+|optimizer|steps|seed|lr)=(?:'([^']*)'|"([^"]*)"|([\w.-]+))/g;
// a field named before a colon ("train_layers: Input should be …"); only the names with an underscore,
// so that ordinary words (steps, seed) stay as they are
const FIELD_BEFORE_COLON = new RegExp(`\\b(${Object.keys(FIELD_LABELS).filter((k) => k.includes("_")).join("|")})(?=:)`, "g");
const QUOTED_VALUE = /'(adam|sgd|metasgd|all|head|classifier|prototype)'/g;

/** A server message in the form's words: `train_layers='classifier'` reads “Layers trained: class
 * layer only”, and a quoted routine value reads as its label. */
export function inFormWords(message: string): string {
  const assigned = message.replace(ASSIGNMENT, (whole, field: string, a?: string, b?: string, c?: string) => {
    if (!(field in FIELD_LABELS)) return whole;
    const value = a ?? b ?? c ?? "";
    return `“${fieldLabel(field)}: ${valueLabel(field, value)}”`;
  });
  const named = assigned
    .replace(/\broutine\.([a-z_]+)\b/g, (whole, field: string) => (field in FIELD_LABELS ? `“${fieldLabel(field)}”` : whole))
    .replace(FIELD_BEFORE_COLON, (_whole, field: string) => fieldLabel(field))
    .replace(/\bthe metasgd optimizer\b/g, "the Meta-SGD optimizer");
  return named.replace(QUOTED_VALUE, (whole, value: string) => {
    for (const values of Object.values(VALUE_LABELS)) if (value in values) return `“${values[value]}”`;
    return whole;
  });
}
