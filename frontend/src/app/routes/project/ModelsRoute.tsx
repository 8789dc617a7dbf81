import { useNavigate } from "react-router";
import { ModelsView } from "@/features/models/components/ModelsView";
import { WebhooksSection } from "@/features/webhooks/components/WebhooksSection";
import { useProjectContext } from "./ProjectLayout";

export function ModelsRoute() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  return (
    <>
      <ModelsView projectId={project.id} onOpenJob={(jobId) => navigate(`/projects/${project.id}/jobs/${jobId}`)} />
      <WebhooksSection projectId={project.id} isOwner={project.role === "owner"} />
    </>
  );
}
