import { useNavigate } from "react-router";
import { notifications } from "@/lib/notifications";
import { ClassSettings } from "@/features/settings/components/ClassSettings";
import { DeleteProject } from "@/features/settings/components/DeleteProject";
import { MemberSettings } from "@/features/settings/components/MemberSettings";
import { ProjectDetailsForm } from "@/features/settings/components/ProjectDetailsForm";
import { useProjectContext } from "./ProjectLayout";

/** The project's settings: name and description, classes, members, and deleting it. */
export function SettingsRoute() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  return (
    <div className="settings">
      <ProjectDetailsForm key={`${project.name}\n${project.description}`} project={project} />
      <ClassSettings project={project} />
      <MemberSettings project={project} />
      <DeleteProject
        project={project}
        onDeleted={() => {
          notifications.push("info", `Project '${project.name}' deleted.`);
          void navigate("/", { replace: true });
        }}
      />
    </div>
  );
}
