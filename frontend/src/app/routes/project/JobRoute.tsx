import { Link, useParams } from "react-router";
import { JobProgress } from "@/features/jobs/components/JobProgress";
import { useProjectContext } from "./ProjectLayout";

export function JobRoute() {
  const { project } = useProjectContext();
  const jobId = Number(useParams().jobId);
  return (
    <div>
      <JobProgress projectId={project.id} jobId={jobId} />
      <p><Link to={`/projects/${project.id}/adapt?job=${jobId}`}>Open on the Adapt page</Link></p>
    </div>
  );
}
