import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import type { Schemas } from "@/lib/api/client";
import { plural } from "@/lib/format";
import { useCreateClass } from "../api/create-class";
import { useDeleteClass } from "../api/delete-class";
import { useClassUsage } from "../api/list-classes";
import { useUpdateClass } from "../api/update-class";
import { nextClassColor, readOnlyReason, type Role } from "../utils/settings";
import { PlainError } from "./PlainError";

type LabelClass = Schemas["LabelClassOut"];

/** The project's classes: add, rename, recolour, delete (after a confirmation). Annotators and
 * owners change them; viewers read them. */
export function ClassSettings({ project }: { project: Schemas["ProjectOut"] }) {
  const reason = readOnlyReason(project.role as Role, "annotator");
  const remove = useDeleteClass(project.id);
  const usage = useClassUsage(project.id);
  const counts = new Map((usage.data ?? []).map((c) => [c.id, c.annotation_count ?? null]));
  const [deleting, setDeleting] = useState<LabelClass | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const deletingCount = deleting ? (counts.get(deleting.id) ?? null) : null;
  const inUse = deletingCount ?? 0;
  const close = () => {
    setDeleting(null);
    remove.reset();
  };
  return (
    <section className="card settings__section" aria-labelledby="settings-classes">
      <h2 id="settings-classes">Classes</h2>
      {reason && <p className="muted">{reason}</p>}
      {project.classes.length === 0 && <p className="empty">No class yet: add the first one below.</p>}
      <ul className="class-settings" aria-label="Classes">
        {project.classes.map((label) => (
          <ClassRow key={`${label.id}-${label.name}-${label.color}`} projectId={project.id} label={label} count={counts.get(label.id) ?? null} readOnly={!!reason} onDelete={() => { setDone(null); setDeleting(label); }} />
        ))}
      </ul>
      {done && <p role="status" className="success">{done}</p>}
      {!reason && <AddClassForm projectId={project.id} usedColors={project.classes.map((c) => c.color)} />}
      <ConfirmDialog
        title={deleting ? `Delete class '${deleting.name}'?` : "Delete class"}
        open={deleting != null}
        onClose={close}
        confirmLabel="Delete class"
        pending={remove.isPending}
        blocked={inUse ? `${plural(inUse, "box", "boxes")} still ${inUse === 1 ? "has" : "have"} this class` : undefined}
        failure={<PlainError error={remove.error} title="Not deleted" />}
        onConfirm={() => {
          if (!deleting) return;
          const name = deleting.name;
          remove.mutate(deleting.id, { onSuccess: () => { close(); setDone(`Class '${name}' deleted.`); } });
        }}
      >
        {inUse ? (
          <p>
            <strong>{plural(inUse, "box", "boxes")}</strong> still {inUse === 1 ? "has" : "have"} the class <strong>{deleting?.name}</strong>. A class in use is not deleted: relabel or delete {inUse === 1 ? "that box" : "those boxes"} in Annotate first (or rename the class instead).
          </p>
        ) : (
          <p>
            The class <strong>{deleting?.name}</strong> goes from this project{deletingCount === 0 ? " (no box has it)" : ""}: it is no longer offered when annotating, and models adapted from now on do not detect it. Models already adapted keep it.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

function ClassRow({ projectId, label, count, readOnly, onDelete }: { projectId: number; label: LabelClass; count: number | null; readOnly: boolean; onDelete: () => void }) {
  const update = useUpdateClass(projectId);
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState(label.color);
  const changed = name.trim() !== label.name || color.toLowerCase() !== label.color.toLowerCase();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch: { name?: string; color?: string } = {};
    if (name.trim() !== label.name) patch.name = name.trim();
    if (color.toLowerCase() !== label.color.toLowerCase()) patch.color = color;
    update.mutate({ classId: label.id, ...patch });
  };
  return (
    <li>
      <form className="class-settings__row" onSubmit={submit} aria-label={`Class ${label.name}`} data-class-id={label.id}>
        <input type="color" value={color} onChange={(e) => setColor(e.target.value)} disabled={readOnly} aria-label={`Colour of class ${label.name}`} />
        <input className="grow" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} disabled={readOnly} aria-label={`Name of class ${label.name}`} />
        {count != null && <span className="muted small class-settings__count" data-testid="class-count">{plural(count, "box", "boxes")}</span>}
        {!readOnly && (
          <>
            <button type="submit" disabled={!changed || !name.trim() || update.isPending} aria-label={`Save class ${label.name}`}>
              {update.isPending ? "Saving…" : "Save"}
            </button>
            <button type="button" className="button--danger-outline" onClick={onDelete} aria-label={`Delete class ${label.name}`}>
              Delete
            </button>
          </>
        )}
      </form>
      <PlainError error={update.error} title={`Class '${label.name}' not saved`} />
    </li>
  );
}

function AddClassForm({ projectId, usedColors }: { projectId: number; usedColors: string[] }) {
  const create = useCreateClass(projectId);
  const [name, setName] = useState("");
  const [color, setColor] = useState<string | null>(null);
  const shown = color ?? nextClassColor(usedColors);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), color: shown }, { onSuccess: () => { setName(""); setColor(null); } });
  };
  return (
    <form className="class-settings__row class-settings__add" onSubmit={submit} aria-label="Add a class">
      <input type="color" value={shown} onChange={(e) => setColor(e.target.value)} aria-label="Colour of the new class" />
      <input className="grow" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="New class name" aria-label="New class name" />
      <button type="submit" disabled={!name.trim() || create.isPending}>
        {create.isPending ? "Adding…" : "Add class"}
      </button>
      <PlainError error={create.error} title="Class not added" />
    </form>
  );
}
