import { useMemo } from "react";
import { useNavigate } from "react-router";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { useAnnotationActivity } from "@/features/annotate/api/list-annotation-activity";
import { useJobs } from "@/features/jobs/api/list-jobs";
import { useModels } from "@/features/models/api/list-models";
import { LearningCurves } from "@/features/timeline/components/LearningCurves";
import { TimelineTable } from "@/features/timeline/components/TimelineTable";
import { learningCurve } from "@/features/timeline/utils/learning-curves";
import { buildTimeline } from "@/features/timeline/utils/timeline";
import { useProjectContext } from "./ProjectLayout";

/** The loop, iteration by iteration, from this project's jobs and annotations. */
export function TimelineRoute() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  const jobs = useJobs(project.id, { limit: 500 });
  const activity = useAnnotationActivity(project.id);
  const models = useModels(project.id);
  const rows = useMemo(() => buildTimeline(jobs.data ?? [], activity.data ?? []), [jobs.data, activity.data]);
  const points = useMemo(() => learningCurve(rows, models.data ?? []), [rows, models.data]);
  if (jobs.isPending || activity.isPending || models.isPending) return <Spinner label="Loading the timeline…" />;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Loop timeline</h2>
      <p className="muted">
        Each row is one adapt or iterate run: the time spent annotating before it (recorded by the editor; idle time is not counted), the time waited for each stage, and the AP50 it reached on the holdout pool.
      </p>
      <ErrorMessage error={jobs.error ?? activity.error ?? models.error} title="Could not load the timeline" />
      <TimelineTable rows={rows} onOpenJob={(jobId) => navigate(`/projects/${project.id}/jobs/${jobId}`)} />
      <LearningCurves points={points} rows={rows} />
    </section>
  );
}
