import { useMatch } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { useJobs, useJobsOfProjects } from "@/features/jobs/api/list-jobs";
import { JobList } from "@/features/jobs/components/JobList";
import { useProjects } from "@/features/projects/api/list-projects";
import { WorkersPanel } from "@/features/workers/components/WorkersPanel";

/** On every page: the latest jobs (of this project, or of all yours) and the workers. */
export function Sidebar() {
  const match = useMatch("/projects/:projectId/*");
  const projectId = match ? Number(match.params.projectId) : null;
  return (
    <aside className="sidebar" aria-label="Jobs and workers">
      <section aria-labelledby="sidebar-jobs">
        <h2 id="sidebar-jobs">Latest jobs</h2>
        {projectId != null && Number.isFinite(projectId) ? <ProjectJobs projectId={projectId} /> : <AllJobs />}
      </section>
      <section aria-labelledby="sidebar-workers">
        <h2 id="sidebar-workers">Workers</h2>
        <WorkersPanel />
      </section>
    </aside>
  );
}

function ProjectJobs({ projectId }: { projectId: number }) {
  const jobs = useJobs(projectId, { limit: 8 });
  if (jobs.isError) return <ErrorMessage error={jobs.error} />;
  return <JobList jobs={jobs.data ?? []} />;
}

function AllJobs() {
  const projects = useProjects();
  const ids = (projects.data ?? []).map((p) => p.id).sort((a, b) => b - a).slice(0, 10);
  const results = useJobsOfProjects(ids, 5);
  const jobs = results
    .flatMap((r) => r.data ?? [])
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .slice(0, 8);
  const error = projects.error ?? results.find((r) => r.error)?.error;
  return (
    <>
      {error && <ErrorMessage error={error} />}
      <JobList jobs={jobs} showProject />
    </>
  );
}
