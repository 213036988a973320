import { describe, expect, it } from "vitest";
import { createLimit, mapWithConcurrency } from "../../src/concurrency.js";

describe("the concurrency limit holds", () => {
  it("at limit 1, tasks asked for at every step around another's end wait their turn: never two at once", async () => {
    const limit = createLimit(1);
    let running = 0;
    let most = 0;
    const finished: string[] = [];
    const late: Promise<void>[] = [];
    const task = (label: string, onEnd?: () => void) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      finished.push(label);
      onEnd?.();
    };
    // As "a" ends, more tasks are asked for 0 to 11 microtasks later: one of them lands between the
    // limiter freeing a's slot for the queued "b" and "b" taking it.
    const askLater = () => {
      for (let depth = 0; depth < 12; depth++) {
        late.push((async () => {
          for (let step = 0; step < depth; step++) await Promise.resolve();
          await limit(task(`c${depth}`));
        })());
      }
    };
    await Promise.all([limit(task("a", askLater)), limit(task("b"))]);
    await Promise.all(late);
    expect(most).toBe(1);
    expect(finished).toHaveLength(14);
  });

  it("mapWithConcurrency keeps the input order and never runs more than its limit", async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (delay) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running--;
      return delay * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
