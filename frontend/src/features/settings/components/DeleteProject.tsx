import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import type { Schemas } from "@/lib/api/client";
import { plural } from "@/lib/format";
import { useDeleteProject } from "../api/delete-project";
import { readOnlyReason, type Role } from "../utils/settings";
import { PlainError } from "./PlainError";

/** Deleting the project: owners only, after typing its name, with what goes listed. */
export function DeleteProject({ project, onDeleted }: { project: Schemas["ProjectOut"]; onDeleted: () => void }) {
  const remove = useDeleteProject(project.id);
  const [open, setOpen] = useState(false);
  const reason = readOnlyReason(project.role as Role, "owner");
  const close = () => {
    setOpen(false);
    remove.reset();
  };
  return (
    <section className="card settings__section settings__danger" aria-labelledby="settings-danger">
      <h2 id="settings-danger">Delete this project</h2>
      <p>Deleting a project cannot be undone.</p>
      {reason ? (
        <p className="muted">{reason}</p>
      ) : (
        <button type="button" className="button--danger" onClick={() => setOpen(true)}>
          Delete project…
        </button>
      )}
      <ConfirmDialog
        title={`Delete project '${project.name}'?`}
        open={open}
        onClose={close}
        confirmLabel="Delete this project"
        typeToConfirm={project.name}
        pending={remove.isPending}
        failure={<PlainError error={remove.error} title="Not deleted" />}
        onConfirm={() => remove.mutate(undefined, { onSuccess: onDeleted })}
      >
        <p>This deletes, for every member and for good:</p>
        <ul>
          <li>{plural(project.image_count, "image")} with their annotations and predictions,</li>
          <li>{plural(project.classes.length, "class", "classes")},</li>
          <li>every model adapted in it, its evaluations and its jobs,</li>
          <li>its members' access.</li>
        </ul>
      </ConfirmDialog>
    </section>
  );
}
