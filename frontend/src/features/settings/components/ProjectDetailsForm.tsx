import { useState, type FormEvent } from "react";
import type { Schemas } from "@/lib/api/client";
import { useUpdateProject } from "../api/update-project";
import { readOnlyReason, type Role } from "../utils/settings";
import { PlainError } from "./PlainError";

/** The project's name and description; owners change them, others read why they cannot. */
export function ProjectDetailsForm({ project }: { project: Schemas["ProjectOut"] }) {
  const update = useUpdateProject(project.id);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [saved, setSaved] = useState(false);
  const reason = readOnlyReason(project.role as Role, "owner");
  const changed = name.trim() !== project.name || description !== project.description;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    update.mutate({ name: name.trim(), description }, { onSuccess: () => setSaved(true) });
  };
  return (
    <section className="card settings__section" aria-labelledby="settings-details">
      <h2 id="settings-details">Project</h2>
      {reason && <p className="muted">{reason}</p>}
      <form className="form" onSubmit={submit}>
        <label>
          Project name
          <input required maxLength={200} value={name} onChange={(e) => { setName(e.target.value); setSaved(false); }} disabled={!!reason} />
        </label>
        <label>
          Description
          <textarea rows={2} value={description} onChange={(e) => { setDescription(e.target.value); setSaved(false); }} disabled={!!reason} />
        </label>
        <PlainError error={update.error} title="Not saved" />
        {saved && !changed && <p role="status" className="success">Saved.</p>}
        {!reason && (
          <div className="row">
            <button type="submit" className="button--primary" disabled={!changed || !name.trim() || update.isPending}>
              {update.isPending ? "Saving…" : "Save name and description"}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
