/**
 * The bumps that make the tests fail, found by bisection: with one culprit among n bumps it takes
 * about log2(n) test runs, not n. `passes(subset)` runs the tests with only `subset` applied.
 * Several culprits are found one after another. Each half is tested alone, so a failure that needs two
 * bumps together may be blamed on the half holding the second; the remaining set is re-tested after
 * each culprit.
 */
export async function findCulprits<T>(items: T[], passes: (subset: T[]) => Promise<boolean>): Promise<{ culprits: T[]; runs: number }> {
  let runs = 0;
  const test = async (subset: T[]) => {
    runs++;
    return passes(subset);
  };
  const culprits: T[] = [];
  let remaining = [...items];
  // The full set is known to fail when this is called.
  while (remaining.length > 0) {
    let suspects = remaining;
    while (suspects.length > 1) {
      const half = suspects.slice(0, Math.ceil(suspects.length / 2));
      suspects = (await test(half)) ? suspects.slice(half.length) : half;
    }
    const culprit = suspects[0] as T;
    culprits.push(culprit);
    remaining = remaining.filter((item) => item !== culprit);
    if (remaining.length === 0 || (await test(remaining))) break;
  }
  return { culprits, runs };
}
