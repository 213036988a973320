// Runs one API diff at a time off the main thread. A pair stops itself at its budget (the thread is kept
// for the next pair); one stuck past it is terminated by the runner, so it costs a bounded time and heap.
import { parentPort } from "node:worker_threads";
import { diffDeclarations, OverBudget } from "./diff.js";
import { warmUp } from "./program.js";
import { type ProofProject, proveWithProject } from "./proof.js";
import { type ProofResult } from "../../../analysis/api-diff.js";
import type { ApiDiff } from "../../../analysis/api-diff.js";
import type { PackageDeclarations } from "./types.js";

export type DiffJob =
  | { kind: "diff"; from: PackageDeclarations; to: PackageDeclarations; review: boolean; used?: string[]; budgetMs: number; confidentMs: number }
  | { kind: "prove"; project: ProofProject; from: PackageDeclarations; to: PackageDeclarations; budgetMs: number };

export type DiffMessage =
  | { kind: "ready" }
  | { kind: "confident"; diff: ApiDiff }
  | { kind: "done"; diff: ApiDiff }
  | { kind: "over-budget" }
  | { kind: "proved"; proof: ProofResult }
  | { kind: "failed"; message: string };

const post = (message: DiffMessage) => parentPort?.postMessage(message);

parentPort?.on("message", (job: DiffJob) => {
  try {
    if (job.kind === "prove") {
      post({ kind: "proved", proof: proveWithProject(job.project, job.from, job.to, performance.now() + job.budgetMs) });
      return;
    }
    const started = performance.now();
    const deadlines = { deadline: started + job.budgetMs, confidentDeadline: started + job.confidentMs };
    const diff = diffDeclarations(job.from, job.to, { review: job.review, ...(job.used ? { used: job.used } : {}), ...deadlines, onConfident: (confident) => post({ kind: "confident", diff: confident }) });
    post({ kind: "done", diff });
  } catch (error) {
    if (error instanceof OverBudget) post({ kind: "over-budget" });
    else post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
  }
});

// The standard library is parsed before the first job, outside every pair's budget.
warmUp();
post({ kind: "ready" });
