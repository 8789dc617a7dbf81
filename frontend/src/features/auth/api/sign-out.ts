import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { authStore } from "@/lib/auth-store";

/** Forget the session here, then revoke it on the server (also when the server is unreachable,
 * the session is forgotten here). Forgetting first stops the live event stream, the polls and
 * the queries in flight, so none of them reaches the server after the session has ended (each
 * would be answered 401, and the stream would try to reopen). The HttpOnly session cookie still
 * authenticates the logout request itself. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async () => {
      authStore.set(null);
      await client.cancelQueries();
      client.clear();
      return unwrap(api.POST("/api/auth/logout"));
    },
  });
}
