// What must be undone if the run is interrupted (SIGINT, SIGTERM): a temporary branch, a worktree.
const cleanups = new Set<() => Promise<void>>();

/** Registers a cleanup for an interruption; call the returned function once the work is done. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Installed by the bumpwise binary (not by tests driving `run`): on SIGINT or SIGTERM, undo what is
 * half made, say so in one line, and exit 130 or 143 as a shell expects.
 */
export function exitCleanlyOnSignals(stderr: { write(text: string): unknown }): void {
  let exiting = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // `on`, not `once`: execa's signal-exit re-raises a signal when it is the only listener left.
    process.on(signal, () => {
      if (exiting) return;
      exiting = true;
      const pending = [...cleanups];
      const done = Promise.allSettled(pending.map((cleanup) => cleanup())).then(() => true);
      const limit = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
      void Promise.race([done, limit]).then((finished) => {
        const undone = pending.length === 0 ? "" : finished ? "; the temporary branch and worktree were removed" : "; removing the temporary branch and worktree took over 10 s (the next run removes what is left)";
        stderr.write(`bumpwise: interrupted (${signal})${undone}\n`);
        process.exit(exitCodes[signal]);
      });
    });
  }
}
