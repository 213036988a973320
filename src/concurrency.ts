import pLimit from "p-limit";

// p-limit takes a slot when it starts a queued task, in the same step that frees one: a task asked for
// while a slot changes hands waits its turn (the hand-written limiter let it in, two at limit 1).

/** Maps with at most `limit` calls in flight; results keep the input order. */
export function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return pLimit(Math.max(1, limit)).map(items, fn);
}

/** Runs at most `size` tasks at once; the rest wait in order. */
export function createLimit(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  const limit = pLimit(Math.max(1, size));
  return (task) => limit(task);
}
