import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ImageFilters } from "@/lib/query-keys";

/** The most images one selection takes (a bulk move or delete acts on them all). */
export const MAX_SELECTION = 10_000;

/** The ids of every image matching `filters`, page by page (cursor), up to MAX_SELECTION. */
export function useSelectAllImages(projectId: number) {
  return useMutation({
    mutationFn: async (filters: ImageFilters): Promise<number[]> => {
      const ids: number[] = [];
      const { offset: _offset, limit: _limit, ...matching } = filters;
      let cursor: string | undefined;
      do {
        const page = await unwrap(
          api.GET("/api/projects/{project_id}/images", {
            params: { path: { project_id: projectId }, query: { ...matching, limit: 1000, cursor } },
          }),
        );
        ids.push(...page.items.map((image) => image.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor && ids.length < MAX_SELECTION);
      return ids.slice(0, MAX_SELECTION);
    },
  });
}
