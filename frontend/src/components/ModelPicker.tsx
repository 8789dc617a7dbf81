import type { Schemas } from "@/lib/api/client";

type Model = Schemas["ModelOut"];

export function modelLabel(model: Model): string {
  const ap50 = (model.metrics?.holdout as Record<string, number | null> | undefined)?.AP50;
  const origin = model.project_id == null ? `shipped, ${model.algorithm}` : `adapted`;
  const marks = [model.is_current ? "current" : null, model.is_default ? "default" : null, model.metrics?.diverged === true ? "diverged" : null].filter(Boolean);
  return `${model.name} (${origin}${ap50 != null && Number.isFinite(ap50) ? `, AP50 ${ap50.toFixed(3)}` : ", not evaluated"})${marks.length ? ` — ${marks.join(", ")}` : ""}`;
}

/** Choose a model: the shipped initializations and this project's versions, grouped. */
export function ModelPicker({ models, value, onChange, label, allowNone = false }: { models: readonly Model[]; value: number | null; onChange: (id: number | null) => void; label: string; allowNone?: boolean }) {
  const shipped = models.filter((m) => m.project_id == null);
  const adapted = models.filter((m) => m.project_id != null).sort((a, b) => b.id - a.id);
  return (
    <label>
      {label}
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        {(allowNone || value == null) && <option value="">{allowNone ? "— none —" : "— choose —"}</option>}
        {adapted.length > 0 && (
          <optgroup label="This project's versions">
            {adapted.map((m) => <option key={m.id} value={m.id}>{modelLabel(m)}</option>)}
          </optgroup>
        )}
        <optgroup label="Shipped initializations">
          {shipped.map((m) => <option key={m.id} value={m.id}>{modelLabel(m)}</option>)}
        </optgroup>
      </select>
    </label>
  );
}
