import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ApiDiff, ApiUnavailable, PackageDeclarations } from "./types.js";
import type { ProofProject, ProofResult } from "./proof.js";
import type { DiffJob, DiffMessage } from "./worker.js";

export interface ApiBudget {
  /** Wall time per package pair before the review tier is given up. */
  timeoutMs: number;
  /** Old-generation heap of each analysis thread. */
  heapMb: number;
  threads: number;
}

export const defaultApiBudget: ApiBudget = { timeoutMs: 5_000, heapMb: 1024, threads: analysisThreads() };

/**
 * Threads for the API diff: one fewer than the cores (the main thread reads tarballs and notes meanwhile),
 * at most 2, and a second only with a gigabyte free for it. On a 2-core machine one thread was as fast as
 * two (9.7 s against 10.5 s for the legacy-api eval app) and peaked 80 MB lower.
 */
export function analysisThreads(cores = os.availableParallelism(), freeBytes = os.freemem()): number {
  const byCores = Math.max(1, Math.min(2, cores - 1));
  return byCores > 1 && freeBytes < 2 * 1024 ** 3 ? 1 : byCores;
}

export interface ApiDiffRunner {
  /** `review: false` runs the confident tier only. */
  diff(from: PackageDeclarations, to: PackageDeclarations, review?: boolean): Promise<ApiDiff | ApiUnavailable>;
  /** Typechecks the project's importing files against both versions, within the same budget. */
  prove(project: ProofProject, from: PackageDeclarations, to: PackageDeclarations): Promise<ProofResult>;
  close(): Promise<void>;
}

/**
 * Diffs on a small pool of worker threads. A pair over its time or heap budget is stopped and
 * degrades to the confident tier (rerun without the review tier if it had not reached it).
 */
export function createApiDiffRunner(budget: ApiBudget = defaultApiBudget): ApiDiffRunner {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const waiting: ((worker: Worker) => void)[] = [];

  async function acquire(): Promise<Worker> {
    const ready = idle.pop();
    if (ready) {
      ready.ref();
      return ready;
    }
    if (all.size < budget.threads) {
      const worker = spawn(budget.heapMb);
      all.add(worker);
      return worker;
    }
    return new Promise((resolve) => waiting.push(resolve));
  }
  function release(worker: Worker, healthy: boolean): void {
    if (!healthy) {
      all.delete(worker);
      void worker.terminate();
      const next = waiting.shift();
      if (next) {
        const fresh = spawn(budget.heapMb);
        all.add(fresh);
        next(fresh);
      }
      return;
    }
    const next = waiting.shift();
    if (next) next(worker);
    else {
      // An idle thread must not keep the process alive.
      worker.unref();
      idle.push(worker);
    }
  }

  type Outcome = { diff?: ApiDiff; proof?: ProofResult; stopped?: "timeout" | "heap"; failed?: string };
  async function run(job: DiffJob): Promise<Outcome & { confident?: ApiDiff }> {
    const worker = await acquire();
    return new Promise((resolve) => {
      let confident: ApiDiff | undefined;
      const finish = (outcome: Outcome, healthy: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        release(worker, healthy);
        resolve({ ...outcome, ...(confident ? { confident } : {}) });
      };
      const onMessage = (message: DiffMessage) => {
        if (message.kind === "confident") confident = message.diff;
        else if (message.kind === "done") finish({ diff: message.diff }, true);
        else if (message.kind === "proved") finish({ proof: message.proof }, true);
        else finish({ failed: message.message }, true);
      };
      const onError = (error: Error & { code?: string }) => finish(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? { stopped: "heap" } : { failed: error.message }, false);
      const timer = setTimeout(() => finish({ stopped: "timeout" }, false), budget.timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.postMessage(job);
    });
  }

  return {
    async diff(from, to, review = true) {
      const first = await run({ kind: "diff", from, to, review });
      if (first.diff) return first.diff;
      if (first.failed) return { unavailable: `the API diff failed: ${first.failed}` };
      const reason = first.stopped ?? "timeout";
      const limit = reason === "heap" ? `${budget.heapMb} MB heap` : `${budget.timeoutMs / 1000} s`;
      const message = `the type comparison went over its ${limit} budget; only the confident rules ran`;
      if (first.confident) return { ...first.confident, degraded: { reason, message } };
      if (!review) return { unavailable: `the API diff went over its ${limit} budget` };
      const second = await run({ kind: "diff", from, to, review: false });
      if (second.diff) return { ...second.diff, degraded: { reason, message } };
      return { unavailable: `the API diff went over its ${limit} budget even without the type comparison` };
    },
    async prove(project, from, to) {
      const outcome = await run({ kind: "prove", project, from, to });
      if (outcome.proof) return outcome.proof;
      if (outcome.failed) return { skipped: `the typecheck failed: ${outcome.failed}` };
      return { skipped: `the typecheck went over its ${outcome.stopped === "heap" ? `${budget.heapMb} MB heap` : `${budget.timeoutMs / 1000} s`} budget` };
    },
    async close() {
      await Promise.all([...all].map((worker) => worker.terminate()));
      all.clear();
      idle.length = 0;
    },
  };
}

// From the compiled package the worker is worker.js; from source (tests, tsx) it is worker.ts, loaded
// through tsx's loader, which a worker does not inherit.
function spawn(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url), { resourceLimits });
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const tsx = pathToFileURL(path.join(tsxRoot, "dist/esm/api/index.mjs")).href;
  const worker = new URL("./worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); })`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}
