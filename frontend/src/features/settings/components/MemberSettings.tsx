import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { useAuth } from "@/lib/auth-store";
import { useAddMember } from "../api/add-member";
import { useMembers } from "../api/list-members";
import { useRemoveMember } from "../api/remove-member";
import { useUpdateMember } from "../api/update-member";
import { ROLE_HELP, readOnlyReason, type Role } from "../utils/settings";
import { PlainError } from "./PlainError";

type Member = Schemas["MemberOut"];
const ROLES: Role[] = ["owner", "annotator", "viewer"];

/** Who works on the project and with which role. Owners add, change and remove members; the
 * others see the list and why they cannot change it. */
export function MemberSettings({ project }: { project: Schemas["ProjectOut"] }) {
  const members = useMembers(project.id);
  const me = useAuth()?.user.id;
  const reason = readOnlyReason(project.role as Role, "owner");
  const update = useUpdateMember(project.id);
  const remove = useRemoveMember(project.id);
  const navigate = useNavigate();
  const [removing, setRemoving] = useState<Member | null>(null);
  const closeRemove = () => {
    setRemoving(null);
    remove.reset();
  };
  return (
    <section className="card settings__section" aria-labelledby="settings-members">
      <h2 id="settings-members">Members</h2>
      <p className="muted small">
        {ROLES.map((role) => (
          <span key={role} className="settings__role-help">
            <strong>{role}</strong>: {ROLE_HELP[role]}.{" "}
          </span>
        ))}
      </p>
      {reason && <p className="muted">{reason}</p>}
      {members.isPending ? (
        <Spinner label="Loading the members…" />
      ) : members.isError ? (
        <PlainError error={members.error} title="Could not load the members" />
      ) : (
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              {!reason && <th scope="col"><span className="visually-hidden">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <tr key={member.user_id} data-user-id={member.user_id}>
                <td>
                  {member.username}
                  {member.user_id === me && <span className="muted"> (you)</span>}
                </td>
                <td>
                  {reason ? (
                    member.role
                  ) : (
                    <select value={member.role} disabled={update.isPending} onChange={(e) => update.mutate({ userId: member.user_id, role: e.target.value as Role })} aria-label={`Role of ${member.username}`}>
                      {ROLES.map((role) => (
                        <option key={role} value={role}>{role}</option>
                      ))}
                    </select>
                  )}
                </td>
                {!reason && (
                  <td>
                    <button type="button" className="button--danger-outline" onClick={() => setRemoving(member)} aria-label={`Remove ${member.username}`}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PlainError error={update.error} title="Role not changed" />
      {!reason && <AddMemberForm projectId={project.id} />}
      <ConfirmDialog
        title={removing ? `Remove ${removing.username} from ${project.name}?` : "Remove member"}
        open={removing != null}
        onClose={closeRemove}
        confirmLabel="Remove member"
        pending={remove.isPending}
        failure={<PlainError error={remove.error} title="Not removed" />}
        onConfirm={() => {
          if (!removing) return;
          const self = removing.user_id === me;
          remove.mutate(removing.user_id, { onSuccess: () => { closeRemove(); if (self) void navigate("/"); } });
        }}
      >
        <p>
          <strong>{removing?.username}</strong> loses access to this project{removing?.user_id === me ? " (that is you: you will no longer see it)" : ""}. Their annotations stay. An owner can add them again.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function AddMemberForm({ projectId }: { projectId: number }) {
  const add = useAddMember(projectId);
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("annotator");
  const [added, setAdded] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const name = username.trim();
    add.mutate({ username: name, role }, { onSuccess: (member) => { setUsername(""); setAdded(`${member.username} added.`); } });
  };
  return (
    <form className="settings__add-member" onSubmit={submit} aria-label="Add a member">
      <label className="grow">
        Username
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" placeholder="their MetaLoop username" />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>{r}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!username.trim() || add.isPending}>
        {add.isPending ? "Adding…" : "Add member"}
      </button>
      <div className="settings__feedback">
        <PlainError error={add.error} title="Not added" />
        {added && !add.isPending && <p role="status" className="success">{added}</p>}
      </div>
    </form>
  );
}
