import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { authStore } from "@/lib/auth-store";
import { queryKeys } from "@/lib/query-keys";

/** First run: create the admin account and sign in with it. */
export function useSetupAdmin() {
  const client = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: Schemas["Credentials"]) => unwrap(api.POST("/api/auth/setup", { body })),
    onSuccess: (answer) => {
      authStore.set({ user: answer.user });
      void client.invalidateQueries({ queryKey: queryKeys.authStatus });
    },
  });
}
