import { useQueryClient } from "@tanstack/react-query";
import { Navigate, Route, Routes } from "react-router";
import { useAuth } from "@/lib/auth-store";
import { useLiveEvents } from "@/lib/live-events";
import { AuthScreen } from "@/features/auth/components/AuthScreen";
import { AppShell } from "./layout/AppShell";
import { HomeRoute } from "./routes/HomeRoute";
import { NotFoundRoute } from "./routes/NotFoundRoute";
import { AdaptRoute } from "./routes/project/AdaptRoute";
import { AnnotateRoute } from "./routes/project/AnnotateRoute";
import { EvaluateRoute } from "./routes/project/EvaluateRoute";
import { ImagesRoute } from "./routes/project/ImagesRoute";
import { JobRoute } from "./routes/project/JobRoute";
import { ModelsRoute } from "./routes/project/ModelsRoute";
import { ProjectLayout } from "./routes/project/ProjectLayout";
import { ReviewRoute } from "./routes/project/ReviewRoute";
import { SettingsRoute } from "./routes/project/SettingsRoute";
import { TimelineRoute } from "./routes/project/TimelineRoute";

export function AppRoutes() {
  const session = useAuth();
  const client = useQueryClient();
  useLiveEvents(client, session?.user.id ?? null);
  if (!session) {
    return (
      <main className="auth-page">
        <AuthScreen />
      </main>
    );
  }
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<HomeRoute />} />
        <Route path="projects/:projectId" element={<ProjectLayout />}>
          <Route index element={<Navigate to="annotate" replace />} />
          <Route path="images" element={<ImagesRoute />} />
          <Route path="annotate" element={<AnnotateRoute />} />
          <Route path="adapt" element={<AdaptRoute />} />
          <Route path="review" element={<ReviewRoute />} />
          <Route path="evaluate" element={<EvaluateRoute />} />
          <Route path="models" element={<ModelsRoute />} />
          <Route path="timeline" element={<TimelineRoute />} />
          <Route path="settings" element={<SettingsRoute />} />
          <Route path="jobs/:jobId" element={<JobRoute />} />
        </Route>
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}
