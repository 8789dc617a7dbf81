// Tickets: short-lived, single-purpose stand-ins for the bearer token in URLs (<img src>,
// download links, EventSource), which cannot send an Authorization header. The bearer token
// itself never goes into a URL (docs/architecture.md, "Security").
import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, unwrap } from "@/lib/api/client";

/** A new ticket for the event stream (valid a minute, to open it). */
export async function eventsTicket(): Promise<string> {
  const answer = await unwrap(api.POST("/api/tickets", { body: { purpose: "events" } }));
  return answer.ticket;
}

/** A function giving the URL of one of the project's files (image, thumbnail, original, export,
 * weights) with a files ticket; "" until the ticket has come. The ticket is renewed well before
 * it expires, so URLs change a few times an hour. */
export function useFileUrl(projectId: number | null): (path: string) => string {
  const ticket = useQuery({
    queryKey: ["tickets", "files", projectId ?? -1],
    enabled: projectId != null,
    queryFn: () => unwrap(api.POST("/api/tickets", { body: { purpose: "files", project_id: projectId ?? -1 } })),
    staleTime: (q) => (q.state.data ? q.state.data.expires_in * 500 : 0),
    refetchInterval: (q) => (q.state.data ? q.state.data.expires_in * 500 : false),
    refetchOnWindowFocus: false,
  });
  const value = ticket.data?.ticket;
  return useCallback(
    (path: string) => {
      if (!value) return "";
      const join = path.includes("?") ? "&" : "?";
      return `${path}${join}ticket=${encodeURIComponent(value)}`;
    },
    [value],
  );
}
