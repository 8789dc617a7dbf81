import { Link } from "react-router";
import { StateBadge } from "@/components/StateBadge";
import type { Schemas } from "@/lib/api/client";

type Job = Schemas["JobOut"];

/** Latest jobs: type, state, progress and id; each links to its detail page. */
export function JobList({ jobs, showProject = false }: { jobs: readonly Job[]; showProject?: boolean }) {
  if (jobs.length === 0) return <p className="muted small">No job yet.</p>;
  return (
    <ul className="job-list">
      {jobs.map((job) => (
        <li key={job.id}>
          {/* its name is its visible text (axe: label-content-name-mismatch), the progress added */}
          <Link to={`/projects/${job.project_id}/jobs/${job.id}`} className="job-list__item">
            <span className="job-list__kind">{job.kind}</span>
            <span className="muted">
              <span className="visually-hidden">job </span>#{job.id}
              {showProject ? ` · p${job.project_id}` : ""}
            </span>
            <StateBadge state={job.state} />
            <span className="visually-hidden">, {Math.round(job.progress * 100)}% done</span>
            <span className="job-list__bar" aria-hidden="true"><span style={{ width: `${Math.round(job.progress * 100)}%` }} /></span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
