import { useNavigate } from "react-router";
import { CreateProjectForm } from "@/features/projects/components/CreateProjectForm";
import { DemoProjectButton } from "@/features/projects/components/DemoProjectButton";
import { ProjectList } from "@/features/projects/components/ProjectList";

export function HomeRoute() {
  const navigate = useNavigate();
  return (
    <div className="home">
      <section aria-labelledby="projects-title">
        <h1 id="projects-title">Projects</h1>
        <ProjectList />
      </section>
      <section aria-labelledby="demo-title" className="card">
        <h2 id="demo-title">Try the loop on synthetic letters</h2>
        <p>A project of letter images the base model never saw: a few annotated per class, a holdout pool to measure on, and many images to label. A worker draws them in a few seconds.</p>
        <DemoProjectButton onCreated={(projectId, jobId) => navigate(`/projects/${projectId}/images?job=${jobId}`)} />
      </section>
      <section aria-labelledby="create-title" className="card">
        <h2 id="create-title">New project</h2>
        <CreateProjectForm onCreated={(projectId) => navigate(`/projects/${projectId}/images`)} />
      </section>
    </div>
  );
}
