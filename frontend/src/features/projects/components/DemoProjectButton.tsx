import { useCreateDemoProject } from "../api/create-demo-project";

/** One click: a project of synthetic letters the base model never saw, filled by a worker. */
export function DemoProjectButton({ onCreated }: { onCreated: (projectId: number, jobId: number) => void }) {
  const demo = useCreateDemoProject();
  return (
    <button type="button" className="button--primary" disabled={demo.isPending} onClick={() => demo.mutate(undefined, { onSuccess: (answer) => onCreated(answer.project.id, answer.job_id) })}>
      {demo.isPending ? "Creating the demo project…" : "Create the demo project"}
    </button>
  );
}
