/**
 * Roots of the query-key tree. Everything of a workspace lives under `ws(id)`, so switching
 * workspace or changing its time zone can drop it in one call; each capability keeps its own
 * keys below these in its folder (`pages/<capability>/queries.ts`).
 */
export const qk = {
  me: ['me'] as const,
  ws: (w: number) => ['ws', w] as const,
};
