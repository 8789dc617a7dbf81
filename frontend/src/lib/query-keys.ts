// Query keys shared by every feature, so that a mutation or a live event in one place
// invalidates the queries another feature shows. Keys nest: invalidating `images(p)` also
// invalidates every list and detail under it.
export type ImageFilters = {
  pool?: "adapt" | "holdout";
  state?: "unlabelled" | "in_progress" | "complete";
  annotated?: boolean;
  has_predictions?: boolean;
  offset?: number;
  limit?: number;
};

export const queryKeys = {
  authStatus: ["auth", "status"] as const,
  me: ["users", "me"] as const,
  projects: ["projects"] as const,
  project: (projectId: number) => ["projects", projectId] as const,
  images: (projectId: number) => ["images", projectId] as const,
  imageList: (projectId: number, filters: ImageFilters) => ["images", projectId, "list", filters] as const,
  image: (projectId: number, imageId: number) => ["images", projectId, "detail", imageId] as const,
  annotations: (projectId: number) => ["annotations", projectId] as const,
  imageAnnotations: (projectId: number, imageId: number) => ["annotations", projectId, "image", imageId] as const,
  annotationActivity: (projectId: number) => ["annotations", projectId, "activity"] as const,
  jobs: (projectId: number) => ["jobs", projectId] as const,
  jobList: (projectId: number, filters: object = {}) => ["jobs", projectId, "list", filters] as const,
  job: (projectId: number, jobId: number) => ["jobs", projectId, "detail", jobId] as const,
  baseModels: ["base-models"] as const,
  models: (projectId: number) => ["models", projectId] as const,
  model: (projectId: number, modelId: number) => ["models", projectId, "detail", modelId] as const,
  lineage: (projectId: number, modelId: number) => ["models", projectId, "lineage", modelId] as const,
  predictions: (projectId: number) => ["predictions", projectId] as const,
  metrics: (projectId: number) => ["metrics", projectId] as const,
  workers: ["workers"] as const,
};

/** What a finished job may have changed in a project. */
export const changedByJob = (projectId: number) => [
  queryKeys.images(projectId),
  queryKeys.annotations(projectId),
  queryKeys.predictions(projectId),
  queryKeys.models(projectId),
  queryKeys.metrics(projectId),
  queryKeys.projects,
];
