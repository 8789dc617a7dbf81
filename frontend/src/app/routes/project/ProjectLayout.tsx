import { NavLink, Outlet, useOutletContext, useParams } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import type { Schemas } from "@/lib/api/client";
import { plural } from "@/lib/format";
import { ProjectRoleProvider } from "@/lib/roles";
import { useProject } from "@/features/projects/api/get-project";

export type ProjectContext = { project: Schemas["ProjectOut"] };

export function useProjectContext(): ProjectContext {
  return useOutletContext<ProjectContext>();
}

const TABS = [
  ["images", "Images"],
  ["annotate", "Annotate"],
  ["adapt", "Adapt"],
  ["review", "Review"],
  ["evaluate", "Evaluate"],
  ["models", "Models"],
  ["timeline", "Loop timeline"],
  ["settings", "Settings"],
] as const;

export function ProjectLayout() {
  const projectId = Number(useParams().projectId);
  const project = useProject(projectId);
  if (project.isPending) return <Spinner label="Loading the project…" />;
  if (project.isError) return <ErrorMessage error={project.error} title={`Project ${projectId}`} />;
  return (
    <div className="project">
      <header className="project__header">
        <h1>{project.data.name}</h1>
        <span className="muted">{project.data.task_type} · {plural(project.data.image_count, "image")} · {plural(project.data.classes.length, "class", "classes")} · you are {project.data.role}</span>
      </header>
      <nav className="tabs" aria-label="Project pages">
        {TABS.map(([path, label]) => (
          <NavLink key={path} to={`/projects/${projectId}/${path}`} className={({ isActive }) => (isActive ? "tab tab--active" : "tab")}>
            {label}
          </NavLink>
        ))}
      </nav>
      <ProjectRoleProvider role={project.data.role}>
        <Outlet context={{ project: project.data } satisfies ProjectContext} />
      </ProjectRoleProvider>
    </div>
  );
}
