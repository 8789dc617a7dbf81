// What the signed-in person's role in the open project lets them do, so the UI offers only
// that, and says why where it does not. It mirrors the server (backend/services/projects.py
// ROLE_RANK and the *Access dependencies of backend/api): reading needs viewer; annotating,
// reviewing predictions, starting or cancelling jobs and making a model current need
// annotator; the project's settings, members and webhooks need owner. The server still checks every request.
import { createContext, useContext, useId, type ReactNode } from "react";

export type ProjectRole = "viewer" | "annotator" | "owner";
export type ProjectAction = "annotate" | "startJobs" | "cancelJobs" | "promote" | "manage";

const RANK: Record<ProjectRole, number> = { viewer: 0, annotator: 1, owner: 2 };
const NEEDS: Record<ProjectAction, ProjectRole> = { annotate: "annotator", startJobs: "annotator", cancelJobs: "annotator", promote: "annotator", manage: "owner" };
const PLURAL: Record<ProjectRole, string> = { viewer: "Viewers", annotator: "Annotators", owner: "Owners" };
const WHAT: Record<ProjectAction, string> = {
  annotate: "cannot draw or change annotations",
  startJobs: "cannot start jobs",
  cancelJobs: "cannot cancel jobs",
  promote: "cannot change the current model",
  manage: "cannot change the project's settings",
};

/** Whether `role` may do `action`. */
export function may(role: ProjectRole | null | undefined, action: ProjectAction): boolean {
  return role != null && RANK[role] >= RANK[NEEDS[action]];
}

/** Why `role` may not do `action` ("Viewers cannot start jobs: ask an owner for the annotator
 * role"), or null when it may. */
export function deniedReason(role: ProjectRole | null | undefined, action: ProjectAction): string | null {
  if (may(role, action)) return null;
  if (role == null) return "Your role in this project is not known yet";
  return `${PLURAL[role]} ${WHAT[action]}: ask an owner of the project for the ${NEEDS[action]} role`;
}

const RoleContext = createContext<ProjectRole | null>(null);

/** Provides the role of the open project (ProjectLayout) to everything under it. */
export function ProjectRoleProvider({ role, children }: { role: ProjectRole; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

/** The signed-in person's role in the open project (null outside a project). */
export function useProjectRole(): ProjectRole | null {
  return useContext(RoleContext);
}

export type RoleGate = {
  allowed: boolean;
  reason: string | null;
  /** Spread on the control: disabled with the reason as its tooltip and description. */
  control: { disabled?: true; title?: string; "aria-describedby"?: string };
  /** The reason as text next to the control (the element `control` points to), or null. */
  note: ReactNode;
};

/** A control that needs `action`: allowed, or disabled with the reason shown and linked. */
export function useRoleGate(action: ProjectAction): RoleGate {
  const role = useProjectRole();
  const id = useId();
  const reason = deniedReason(role, action);
  if (reason == null) return { allowed: true, reason: null, control: {}, note: null };
  return {
    allowed: false,
    reason,
    control: { disabled: true, title: reason, "aria-describedby": id },
    note: <span id={id} className="role-reason small" data-testid="role-reason">{reason}</span>,
  };
}
