import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { applyEvent } from "./live-events";
import { queryKeys } from "./query-keys";

const job = { id: 5, project_id: 1, kind: "iterate", state: "running", progress: 0.1, stage: "adapt", error: null, tasks: [{ id: 9, kind: "adapt", state: "running", progress: 0.2, stage: "adapting", loss_points: [[1, 2.5]] }] };

function client() {
  const c = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  c.setQueryData(queryKeys.job(1, 5), job);
  c.setQueryData(queryKeys.jobList(1, {}), [job]);
  return c;
}

describe("live events", () => {
  it("patch a job's detail and its row in job lists", () => {
    const c = client();
    applyEvent(c, { type: "job", id: 5, project_id: 1, state: "running", progress: 0.6, stage: "detect: detecting", data: { kind: "iterate", error: null } });
    expect(c.getQueryData<typeof job>(queryKeys.job(1, 5))).toMatchObject({ progress: 0.6, stage: "detect: detecting" });
    expect(c.getQueryData<(typeof job)[]>(queryKeys.jobList(1, {}))?.[0]).toMatchObject({ progress: 0.6 });
  });

  it("append a task's new loss points to the live curve", () => {
    const c = client();
    applyEvent(c, {
      type: "task", id: 9, project_id: 1, state: "running", progress: 0.4, stage: "adapting",
      data: { job_id: 5, kind: "adapt", attempt: 1, worker: "w-1", error: null, points: [[2, 2.1], [3, 1.9]] },
    });
    const task = c.getQueryData<typeof job>(queryKeys.job(1, 5))?.tasks[0];
    expect(task?.loss_points).toEqual([[1, 2.5], [2, 2.1], [3, 1.9]]);
    expect(task?.progress).toBe(0.4);
  });

  it("mark what a finished job changed as stale", () => {
    const c = client();
    c.setQueryData(queryKeys.imageList(1, {}), { items: [], total: 0 });
    c.setQueryData([...queryKeys.predictions(1), "list", {}], { items: [], total: 0 });
    c.setQueryData(queryKeys.imageList(2, {}), { items: [], total: 0 });
    applyEvent(c, { type: "job", id: 5, project_id: 1, state: "succeeded", progress: 1, stage: "succeeded", data: { kind: "iterate", error: null } });
    expect(c.getQueryState(queryKeys.imageList(1, {}))?.isInvalidated).toBe(true);
    expect(c.getQueryState([...queryKeys.predictions(1), "list", {}])?.isInvalidated).toBe(true);
    expect(c.getQueryState(queryKeys.imageList(2, {}))?.isInvalidated).toBe(false);
  });

  it("refresh workers on a worker event", () => {
    const c = client();
    c.setQueryData(queryKeys.workers, []);
    applyEvent(c, { type: "worker", id: 1, state: "online", data: { name: "w-1", host: "gpu-1", device: "cpu", busy_task_id: null } });
    expect(c.getQueryState(queryKeys.workers)?.isInvalidated).toBe(true);
  });
});
