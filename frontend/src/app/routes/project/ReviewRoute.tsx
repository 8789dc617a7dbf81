import { useSearchParams } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { useJobs } from "@/features/jobs/api/list-jobs";
import { PredictionsExport } from "@/features/review/components/PredictionsExport";
import { ReviewBoard } from "@/features/review/components/ReviewBoard";
import { useProjectContext } from "./ProjectLayout";

/** Review the predictions of a detect or iterate run (default: the latest finished one). */
export function ReviewRoute() {
  const { project } = useProjectContext();
  const [params, setParams] = useSearchParams();
  const jobs = useJobs(project.id, { state: "succeeded", limit: 100 });
  if (jobs.isPending) return <Spinner label="Loading runs…" />;
  if (jobs.isError) return <ErrorMessage error={jobs.error} title="Could not load jobs" />;
  const runs = jobs.data.filter((j) => j.kind === "detect" || j.kind === "iterate");
  const requested = params.get("job") ? Number(params.get("job")) : null;
  const jobId = requested ?? runs[0]?.id ?? null;
  return (
    <div>
      <div className="filter-bar">
        <label>
          Predictions of
          <select value={jobId ?? ""} onChange={(e) => setParams({ job: e.target.value })}>
            {jobId != null && !runs.some((r) => r.id === jobId) && <option value={jobId}>job {jobId}</option>}
            {runs.map((r) => (
              <option key={r.id} value={r.id}>{r.kind} job #{r.id} ({new Date(r.created_at).toLocaleTimeString()})</option>
            ))}
          </select>
        </label>
        {jobId != null && <PredictionsExport projectId={project.id} jobId={jobId} />}
      </div>
      {jobId == null ? (
        <p className="empty">No predictions yet: run Iterate (or a detect job) on the Adapt page.</p>
      ) : (
        <ReviewBoard key={jobId} projectId={project.id} jobId={jobId} classes={project.classes} />
      )}
    </div>
  );
}
