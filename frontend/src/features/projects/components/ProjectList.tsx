import { Link } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { plural } from "@/lib/format";
import { useProjects } from "../api/list-projects";

export function ProjectList() {
  const projects = useProjects();
  if (projects.isPending) return <Spinner label="Loading projects…" />;
  if (projects.isError) return <ErrorMessage error={projects.error} title="Could not load your projects" />;
  if (projects.data.length === 0) {
    return <p className="empty">No project yet: create one below, or start with the demo project.</p>;
  }
  return (
    <ul className="project-list" aria-label="Your projects">
      {projects.data.map((project) => (
        <li key={project.id} className="project-card">
          <Link to={`/projects/${project.id}/annotate`} className="project-card__name">{project.name}</Link>
          <span className="muted">{project.task_type} · {plural(project.image_count, "image")} · {project.role}</span>
          <span className="class-chips">
            {project.classes.map((c) => (
              <span key={c.id} className="chip" style={{ borderColor: c.color }}>
                <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
                {c.name}
              </span>
            ))}
          </span>
          {project.description && <span className="muted small">{project.description}</span>}
        </li>
      ))}
    </ul>
  );
}
