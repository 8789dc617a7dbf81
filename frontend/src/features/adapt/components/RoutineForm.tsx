import "../adapt.css";
import { takesLearningRate, type ClassInit, type Optimizer, type RoutineValues, type TrainLayers } from "../utils/routine";

/** The update routine: what adaptation runs (preset from the base model's card, editable). */
export function RoutineForm({ values, onChange, disabled = false }: { values: RoutineValues; onChange: (v: RoutineValues) => void; disabled?: boolean }) {
  const set = <K extends keyof RoutineValues>(key: K, value: RoutineValues[K]) => onChange({ ...values, [key]: value });
  return (
    <fieldset className="routine-form" disabled={disabled}>
      <legend>Update routine</legend>
      <label>
        Optimizer
        <select value={values.optimizer} onChange={(e) => set("optimizer", e.target.value as Optimizer)}>
          <option value="adam">Adam (β1 = 0)</option>
          <option value="sgd">SGD</option>
          <option value="metasgd">Meta-SGD (the model's learned per-parameter rates)</option>
        </select>
      </label>
      <label>
        Learning rate
        {takesLearningRate(values.optimizer) ? (
          <input inputMode="decimal" value={values.lr} onChange={(e) => set("lr", e.target.value)} />
        ) : (
          <input value="learned per weight (Meta-SGD)" disabled readOnly title="Meta-SGD steps each weight by the rate the model learned for it" />
        )}
      </label>
      <label>
        Steps
        <input type="number" min={1} value={values.steps} onChange={(e) => set("steps", e.target.value)} />
      </label>
      <label>
        Batch size
        <input type="number" min={1} value={values.batch_size} onChange={(e) => set("batch_size", e.target.value)} />
      </label>
      <label>
        Checkpoints (steps)
        <input value={values.checkpoints} onChange={(e) => set("checkpoints", e.target.value)} placeholder="10, 50" />
      </label>
      <label>
        Layers trained
        <select value={values.train_layers} onChange={(e) => set("train_layers", e.target.value as TrainLayers)}>
          <option value="all">all</option>
          <option value="head">head only (trunk frozen)</option>
          <option value="classifier">class layer only (boxes frozen)</option>
        </select>
      </label>
      <label>
        Class layer at the start
        <select value={values.class_init} onChange={(e) => set("class_init", e.target.value as ClassInit)}>
          <option value="model">the model's (one shared row per class)</option>
          <option value="prototype">from the annotated classes' prototypes</option>
        </select>
      </label>
      <label>
        Seed
        <input type="number" value={values.seed} onChange={(e) => set("seed", e.target.value)} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={values.early_stopping} onChange={(e) => set("early_stopping", e.target.checked)} />
        Early stopping (keep the best weights when the running loss doubles)
      </label>
    </fieldset>
  );
}
