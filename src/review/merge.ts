import type { Review } from "../review-types.js";

/**
 * One report of a folder's several ecosystems (package-lock.json and uv.lock side by side): each bump,
 * held-back package and error kept and marked with its ecosystem, the counts added up, each part's
 * lockfile and facts listed. The project's single fields are the first part's.
 */
export function mergeReviews(reviews: readonly Review[]): Review {
  const [first] = reviews as [Review, ...Review[]];
  const sum = <K extends string>(pick: (review: Review) => Record<K, number>) => {
    const total = {} as Record<K, number>;
    for (const review of reviews) for (const [key, value] of Object.entries(pick(review)) as [K, number][]) total[key] = (total[key] ?? 0) + value;
    return total;
  };
  const bySource = new Map<string, number>();
  for (const review of reviews) for (const [source, count] of Object.entries(review.notes.versionsBySource)) bySource.set(source, (bySource.get(source) ?? 0) + count);
  const notesNotes = reviews.map((review) => review.notes.note).filter(Boolean);
  const lockfileNotes = reviews.flatMap((review) => review.project.lockfileNotes ?? []);
  const majors = reviews.flatMap((review) => review.majors ?? []);
  return {
    ...first,
    project: {
      ...first.project,
      lockfile: reviews.map((review) => review.project.lockfile).join(" + "),
      ...(lockfileNotes.length > 0 ? { lockfileNotes } : {}),
      parts: reviews.map((review) => ({ ecosystem: review.project.ecosystem, lockfile: review.project.lockfile, manager: review.project.manager, ...(review.project.facts ? { facts: review.project.facts } : {}) })),
    },
    llm: { ...first.llm, ...sum((review) => ({ calls: review.llm.calls, cachedReplies: review.llm.cachedReplies, inputTokens: review.llm.inputTokens, outputTokens: review.llm.outputTokens, cacheReadTokens: review.llm.cacheReadTokens, cacheWriteTokens: review.llm.cacheWriteTokens, estimatedCostUsd: review.llm.estimatedCostUsd })) },
    notes: {
      read: reviews.some((review) => review.notes.read),
      bumpsWithAllNotes: reviews.reduce((total, review) => total + review.notes.bumpsWithAllNotes, 0),
      versionsBySource: Object.fromEntries(bySource),
      ...(notesNotes.length > 0 ? { note: notesNotes.join("; ") } : {}),
    },
    summary: sum((review) => review.summary),
    bumps: reviews.flatMap((review) => review.bumps.map((bump) => ({ ...bump, ecosystem: review.project.ecosystem }))),
    heldBack: reviews.flatMap((review) => review.heldBack),
    ...(majors.length > 0 ? { majors } : {}),
    errors: reviews.flatMap((review) => review.errors),
    registry: sum((review) => review.registry),
  };
}
