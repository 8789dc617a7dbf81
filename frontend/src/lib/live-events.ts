// Live state: the server's SSE stream (GET /api/events?ticket=) patches the query cache;
// while the stream is down, queries that show live state poll instead (usePollInterval).
import { useEffect, useSyncExternalStore } from "react";
import type { QueryClient } from "@tanstack/react-query";
import type { Schemas } from "@/lib/api/client";
import { changedByJob, queryKeys } from "@/lib/query-keys";
import { eventsTicket } from "@/lib/tickets";

export type LiveStatus = "connecting" | "live" | "polling";
/** One event of GET /api/events: JobEvent, TaskEvent or WorkerEvent (contracts/events.py). */
export type ServerEvent = Schemas["ServerEvent"];

type JobDetail = Schemas["JobDetail"];
type JobOut = Schemas["JobOut"];
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

let status: LiveStatus = "connecting";
const listeners = new Set<() => void>();
function setStatus(next: LiveStatus): void {
  if (next !== status) {
    status = next;
    listeners.forEach((listener) => listener());
  }
}
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const getStatus = () => status;

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribe, getStatus, getStatus);
}

/** A refetchInterval: none while events stream in, `ms` while they do not. */
export function usePollInterval(ms: number): number | false {
  return useLiveStatus() === "live" ? false : ms;
}

/** Apply one server event to the query cache. Exported for tests. */
export function applyEvent(client: QueryClient, event: ServerEvent): void {
  if (event.type === "worker") {
    void client.invalidateQueries({ queryKey: queryKeys.workers });
    return;
  }
  const projectId = event.project_id;
  if (event.type === "job") {
    const patch = { state: event.state, progress: event.progress, stage: event.stage, error: event.data.error };
    client.setQueryData<JobDetail>(queryKeys.job(projectId, event.id), (old) => (old ? { ...old, ...patch } : old));
    let known = false;
    client.setQueriesData<JobOut[]>({ queryKey: [...queryKeys.jobs(projectId), "list"] }, (old) =>
      old?.map((job) => {
        if (job.id !== event.id) return job;
        known = true;
        return { ...job, ...patch };
      }),
    );
    if (!known || FINISHED.has(event.state)) {
      void client.invalidateQueries({ queryKey: queryKeys.jobs(projectId) });
    }
    if (event.state === "succeeded" || (event.data.kind === "iterate" && FINISHED.has(event.state))) {
      for (const key of changedByJob(projectId)) void client.invalidateQueries({ queryKey: key });
    }
    return;
  }
  // A task event: patch the task inside its job's detail (progress, stage, new loss points).
  const key = queryKeys.job(projectId, event.data.job_id);
  const detail = client.getQueryData<JobDetail>(key);
  const task = detail?.tasks.find((t) => t.id === event.id);
  if (!detail || !task) {
    void client.invalidateQueries({ queryKey: key });
    return;
  }
  const points = event.data.points ?? [];
  client.setQueryData<JobDetail>(key, {
    ...detail,
    tasks: detail.tasks.map((t) =>
      t.id === event.id
        ? {
            ...t,
            state: event.state,
            progress: event.progress,
            stage: event.stage,
            loss_points: points.length ? [...t.loss_points, ...points] : t.loss_points,
          }
        : t,
    ),
  });
  if (FINISHED.has(event.state)) void client.invalidateQueries({ queryKey: key });
}

/** Keep one EventSource open while signed in. Each connection opens with a fresh events ticket
 * (the bearer token never goes into a URL) and the id of the last event received, so the server
 * sends what was missed; on any error the stream is reopened by hand after 2 s, since the
 * browser's own retry would reuse an expired ticket. */
export function useLiveEvents(client: QueryClient, userId: number | null): void {
  useEffect(() => {
    if (userId == null || typeof EventSource === "undefined") {
      setStatus("polling");
      return;
    }
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastEventId = ""; // the browser resends it when it reconnects; we do when we reopen
    const onMessage = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      try {
        applyEvent(client, JSON.parse(message.data) as ServerEvent);
      } catch {
        // a malformed event is skipped; polling and the next events still keep the view right
      }
    };
    const reopen = () => {
      if (!stopped) retry = setTimeout(() => void connect(), 2000);
    };
    const connect = async () => {
      setStatus("connecting");
      let ticket: string;
      try {
        ticket = await eventsTicket();
      } catch {
        setStatus("polling");
        reopen();
        return;
      }
      if (stopped) return;
      const resume = lastEventId ? `&last_event_id=${encodeURIComponent(lastEventId)}` : "";
      source = new EventSource(`/api/events?ticket=${encodeURIComponent(ticket)}${resume}`);
      for (const type of ["job", "task", "worker"]) source.addEventListener(type, onMessage as EventListener);
      source.onopen = () => {
        setStatus("live");
        // The server replays what was logged after the last event; refetching also covers
        // events older than its log keeps.
        void client.invalidateQueries({ predicate: (q) => ["jobs", "workers"].includes(String(q.queryKey[0])) });
      };
      source.onerror = () => {
        setStatus("polling");
        source?.close();
        reopen();
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [client, userId]);
}
