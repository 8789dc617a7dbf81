import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { usePollInterval } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";

/** Workers: online, busy (with their current task) or offline. Every change comes over the event
 * stream (a worker registers, takes or ends a task, or the sweeper marks it offline), which
 * refreshes this list; it is polled, slowly, only while the stream is down. */
export function useWorkers() {
  const poll = usePollInterval(15_000);
  return useQuery({
    queryKey: queryKeys.workers,
    queryFn: () => unwrap(api.GET("/api/workers")),
    refetchInterval: poll,
  });
}
