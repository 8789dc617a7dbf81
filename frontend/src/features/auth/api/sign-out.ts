import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import { authStore } from "@/lib/auth-store";

/** Revoke the token on the server, then forget it here (also when the server is unreachable). */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: () => unwrap(api.POST("/api/auth/logout")),
    onSettled: () => {
      authStore.set(null);
      client.clear();
    },
  });
}
