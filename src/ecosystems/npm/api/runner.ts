import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ApiDiff, ApiUnavailable } from "../../../analysis/api-diff.js";
import type { PackageDeclarations } from "./types.js";
import type { ProofProject } from "./proof.js";
import type { ProofResult } from "../../../analysis/api-diff.js";
import type { AnalysisJob, AnalysisMessage } from "./worker.js";

export interface ApiBudget {
  /** Wall time per package pair before the review tier is given up. */
  timeoutMs: number;
  /** Old-generation heap of each analysis thread. */
  heapMb: number;
  threads: number;
}

export const defaultApiBudget: ApiBudget = { timeoutMs: 20_000, heapMb: 1024, threads: analysisThreads() };

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
  /** How many pairs run at once. */
  readonly threads: number;
  /** Starts the first thread now (it loads TypeScript and the standard library while tarballs download). */
  warm(): void;
  /** `review: false` runs the confident tier only; `used` narrows both to the exports the project uses. */
  diff(from: PackageDeclarations, to: PackageDeclarations, review?: boolean, used?: string[]): Promise<ApiDiff | ApiUnavailable>;
  /** Typechecks the project's importing files against both versions, within the same budget. */
  prove(project: ProofProject, from: PackageDeclarations, to: PackageDeclarations): Promise<ProofResult>;
  /** Threads started so far, replacements of terminated ones included (each loads the compiler again). */
  threadsStarted(): number;
  close(): Promise<void>;
}

/**
 * Diffs on a small pool of worker threads. A pair over its time budget stops itself and keeps its
 * confident findings (the review tier is what it gives up); a pair that had not reached them is not
 * run again, as it would only redo the same work. A typecheck of the project over the budget stops
 * itself too, at the checker's next checkpoint, and the thread goes on to the next job. A thread stuck
 * past the budget (one huge file being parsed) or over its heap is terminated and replaced.
 */
export function createApiDiffRunner(budget: ApiBudget = defaultApiBudget, adopt?: () => AnalysisThread | undefined): ApiDiffRunner {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const waiting: ((worker: Worker) => void)[] = [];
  // Threads started ahead of their first job (warm()).
  const starting: Promise<Worker>[] = [];
  // A thread that stops itself does so at its next checkpoint: past this it is stuck and terminated.
  const hardStopMs = budget.timeoutMs + Math.max(1_000, budget.timeoutMs / 2);
  // The confident rules, what the budget is there to keep, may run a quarter longer: a pair near the
  // budget (@mui/material takes 5-7 s on a busy 2-core machine) keeps them instead of losing them by chance.
  const confidentMs = budget.timeoutMs * 1.25;

  // Why a thread could not start: its first job fails with it.
  const failedToStart = new WeakMap<Worker, string>();

  let started = 0;
  function start(): Promise<Worker> {
    started++;
    // The thread that read the project, when there is one, is the first.
    const { worker, ready } = adopt?.() ?? startAnalysisThread(budget.heapMb);
    all.add(worker);
    return ready.then((failure) => {
      if (failure !== undefined) failedToStart.set(worker, failure);
      return worker;
    });
  }
  async function acquire(): Promise<Worker> {
    const worker = await (idle.pop() ?? starting.shift() ?? (all.size < budget.threads ? start() : new Promise<Worker>((resolve) => waiting.push(resolve))));
    worker.ref();
    return worker;
  }
  function release(worker: Worker, healthy: boolean): void {
    if (!healthy) {
      all.delete(worker);
      void worker.terminate();
      const next = waiting.shift();
      if (next) void start().then(next);
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
  async function run(job: AnalysisJob): Promise<Outcome & { confident?: ApiDiff }> {
    const worker = await acquire();
    const startFailure = failedToStart.get(worker);
    if (startFailure !== undefined) {
      release(worker, false);
      return { failed: startFailure };
    }
    return new Promise((resolve) => {
      let confident: ApiDiff | undefined;
      const finish = (outcome: Outcome, healthy: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        release(worker, healthy);
        resolve({ ...outcome, ...(confident ? { confident } : {}) });
      };
      const onMessage = (message: AnalysisMessage) => {
        if (message.kind === "ready") return;
        if (message.kind === "confident") confident = message.diff;
        else if (message.kind === "done") finish({ diff: message.diff }, true);
        else if (message.kind === "over-budget") finish({ stopped: "timeout" }, true);
        else if (message.kind === "proved") finish({ proof: message.proof }, true);
        else finish({ failed: message.kind === "failed" ? message.message : `unexpected answer ${message.kind}` }, true);
      };
      const onError = (error: Error & { code?: string }) => finish(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? { stopped: "heap" } : { failed: error.message }, false);
      const timer = setTimeout(() => finish({ stopped: "timeout" }, false), hardStopMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.postMessage(job);
    });
  }

  return {
    threads: budget.threads,
    warm() {
      if (all.size === 0) starting.push(start());
    },
    async diff(from, to, review = true, used) {
      const outcome = await run({ kind: "diff", from, to, review, ...(used ? { used } : {}), budgetMs: budget.timeoutMs, confidentMs });
      if (outcome.diff) return outcome.diff;
      if (outcome.failed) return { unavailable: `the API diff failed: ${outcome.failed}` };
      const reason = outcome.stopped ?? "timeout";
      const limit = reason === "heap" ? `${budget.heapMb} MB heap` : `${budget.timeoutMs / 1000} s`;
      // Time depends on the machine and the moment, memory on the pair: a comparison out of time is completed
      // by a re-run; one out of memory would need as much again (zod 4.3 → 4.6 compares ZodTuple's constructor
      // types past any heap), so that answer is the pair's and is kept.
      const rerun = reason === "heap" ? "it is kept: a re-run would need as much memory again" : "a re-run completes it (not kept in the cache)";
      if (outcome.confident) return { ...outcome.confident, degraded: { reason, message: `the type comparison went over its ${limit} budget; only the confident rules ran, and ${rerun}` } };
      const extended = reason === "timeout" ? ` (they may run to ${confidentMs / 1000} s)` : "";
      return { unavailable: `the API diff went over its ${limit} budget before the confident rules had run${extended}` };
    },
    async prove(project, from, to) {
      const outcome = await run({ kind: "prove", project, from, to, budgetMs: budget.timeoutMs });
      if (outcome.proof) return outcome.proof;
      if (outcome.failed) return { skipped: `the typecheck failed: ${outcome.failed}` };
      return { skipped: `the typecheck went over its ${outcome.stopped === "heap" ? `${budget.heapMb} MB heap` : `${budget.timeoutMs / 1000} s`} budget` };
    },
    threadsStarted: () => started,
    async close() {
      await Promise.all([...all].map((worker) => worker.terminate()));
      all.clear();
      idle.length = 0;
      starting.length = 0;
    },
  };
}

/** A started analysis thread; `ready` settles once TypeScript and the standard library are loaded, with why it failed if it did. */
export interface AnalysisThread {
  worker: Worker;
  ready: Promise<string | undefined>;
}

export function startAnalysisThread(heapMb: number): AnalysisThread {
  const worker = spawn(heapMb);
  // Not holding the process open until a job is given to it.
  worker.unref();
  const ready = new Promise<string | undefined>((resolve) => {
    const settle = (message: AnalysisMessage | Error) => {
      if (!(message instanceof Error) && message.kind !== "ready") return;
      worker.off("message", settle);
      worker.off("error", settle);
      resolve(message instanceof Error ? message.message : undefined);
    };
    worker.on("message", settle);
    worker.on("error", settle);
  });
  return { worker, ready };
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
