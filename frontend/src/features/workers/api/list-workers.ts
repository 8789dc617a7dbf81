import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { usePollInterval } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";

/** Workers with online/offline. Online-ness decays with time (no heartbeat → offline) without an
 * event, so this also refreshes slowly while the stream is live. */
export function useWorkers() {
  const poll = usePollInterval(5000);
  return useQuery({
    queryKey: queryKeys.workers,
    queryFn: () => unwrap(api.GET("/api/workers")),
    refetchInterval: poll || 20_000,
  });
}
