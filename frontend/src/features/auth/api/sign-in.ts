import { useMutation } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api/client";
import { authStore } from "@/lib/auth-store";

export function useSignIn() {
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (body: Schemas["Credentials"]) => unwrap(api.POST("/api/auth/login", { body })),
    onSuccess: (answer) => authStore.set({ user: answer.user }),
  });
}
