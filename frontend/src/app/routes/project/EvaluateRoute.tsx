import { useNavigate } from "react-router";
import { EvaluateView } from "@/features/evaluate/components/EvaluateView";
import { useProjectContext } from "./ProjectLayout";

export function EvaluateRoute() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  return <EvaluateView projectId={project.id} classes={project.classes} onJobStarted={(jobId) => navigate(`/projects/${project.id}/jobs/${jobId}`)} />;
}
