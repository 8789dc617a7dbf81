import { errorMessage } from "@/lib/api/errors";

/** The colours new classes get, in order (distinct on the image and from each other). */
export const CLASS_PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324"];

/** The first palette colour no class has yet (then round again). */
export function nextClassColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return CLASS_PALETTE.find((c) => !taken.has(c)) ?? CLASS_PALETTE[used.length % CLASS_PALETTE.length]!;
}

// The server's refusals in the words of this page, not of the REST API.
const REWORDED: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^class '(.+)' is used by (\d+) annotations; delete or relabel them first$/, (m) => `Class '${m[1]}' is still used by ${m[2] === "1" ? "1 box" : `${m[2]} boxes`}: relabel or delete ${m[2] === "1" ? "it" : "them"} in Annotate first, then delete the class`],
  [/^(.+) is a member already; change the role with PATCH$/, (m) => `${m[1]} is a member already: change their role in the list instead`],
  [/^user '(.+)' not found$/, (m) => `There is no user called '${m[1]}': they need an account first (they sign up, or an admin creates one)`],
  [/^a project needs at least one owner$/, () => "A project needs at least one owner: make someone else an owner first"],
];

/** An API error as a sentence for this page: known refusals reworded, a capital to start and a
 * full stop to end. */
export function plainError(error: unknown): string {
  let text = errorMessage(error).trim();
  for (const [pattern, reword] of REWORDED) {
    const match = text.match(pattern);
    if (match) {
      text = reword(match);
      break;
    }
  }
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export type Role = "owner" | "annotator" | "viewer";

export const ROLE_HELP: Record<Role, string> = {
  owner: "everything, including members, settings and deleting the project",
  annotator: "uploads, annotates, edits classes and runs jobs",
  viewer: "sees everything, changes nothing",
};

/** Why a control is read-only for this role, or null when the role may use it. */
export function readOnlyReason(role: Role, needs: "owner" | "annotator"): string | null {
  if (needs === "owner" && role !== "owner") return `Only the project's owners can change this; you are ${role === "annotator" ? "an annotator" : "a viewer"}.`;
  if (needs === "annotator" && role === "viewer") return "Viewers cannot change this; ask an owner to make you an annotator.";
  return null;
}
