import { MutationCache, QueryClient } from "@tanstack/react-query";
import { ApiError, errorMessage } from "@/lib/api/errors";
import { notifications } from "@/lib/notifications";

declare module "@tanstack/react-query" {
  interface Register {
    // `meta.inlineError`: the component shows the mutation's error itself (e.g. a form).
    mutationMeta: { inlineError?: boolean };
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    mutationCache: new MutationCache({
      onError(error, _variables, _context, mutation) {
        if (!mutation.options.meta?.inlineError) notifications.push("error", errorMessage(error));
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // 4xx answers do not get better by asking again.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
}
