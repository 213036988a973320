// The analysis thread: everything that needs TypeScript runs here, so the main thread never loads it. It
// reads the project first (its tsconfig, its code's imports and use sites), then runs one API diff or
// use-site typecheck at a time. A pair stops itself at its budget (the thread is kept for the next pair);
// one stuck past it is terminated by the runner, so it costs a bounded time and heap.
import { parentPort } from "node:worker_threads";
import { diffDeclarations, OverBudget } from "./diff.js";
import { warmUp } from "./program.js";
import { type ProofProject, proveWithProject } from "./proof.js";
import { compilerSettings } from "../tsconfig.js";
import { scanFile } from "../usage/parse.js";
import { type ProofResult } from "../../../analysis/api-diff.js";
import type { ApiDiff } from "../../../analysis/api-diff.js";
import type { CompilerSettings } from "../../../project/facts.js";
import type { FileScan } from "../../../usage/types.js";
import type { PackageDeclarations } from "./types.js";

export type AnalysisJob =
  | { kind: "diff"; from: PackageDeclarations; to: PackageDeclarations; review: boolean; used?: string[]; budgetMs: number; confidentMs: number }
  | { kind: "prove"; project: ProofProject; from: PackageDeclarations; to: PackageDeclarations; budgetMs: number }
  | { kind: "settings"; tsconfig: string }
  | { kind: "scan"; files: [string, string][] };

export type AnalysisMessage =
  | { kind: "ready" }
  | { kind: "confident"; diff: ApiDiff }
  | { kind: "done"; diff: ApiDiff }
  | { kind: "over-budget" }
  | { kind: "proved"; proof: ProofResult }
  | { kind: "settings"; settings: CompilerSettings | { error: string } }
  | { kind: "scanned"; scans: [string, FileScan | { error: string }][] }
  | { kind: "failed"; message: string };

const post = (message: AnalysisMessage) => parentPort?.postMessage(message);

parentPort?.on("message", (job: AnalysisJob) => {
  try {
    if (job.kind === "settings") return post({ kind: "settings", settings: compilerSettings(job.tsconfig) });
    if (job.kind === "scan") return post({ kind: "scanned", scans: job.files.map(([file, source]) => [file, scanFile(file, source)]) });
    if (job.kind === "prove") return post({ kind: "proved", proof: proveWithProject(job.project, job.from, job.to, performance.now() + job.budgetMs) });
    const started = performance.now();
    const deadlines = { deadline: started + job.budgetMs, confidentDeadline: started + job.confidentMs };
    const diff = diffDeclarations(job.from, job.to, { review: job.review, ...(job.used ? { used: job.used } : {}), ...deadlines, onConfident: (confident) => post({ kind: "confident", diff: confident }) });
    post({ kind: "done", diff });
  } catch (error) {
    if (error instanceof OverBudget) post({ kind: "over-budget" });
    else post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
  }
});

// The standard library is parsed before the first pair, outside every pair's budget; a job already waiting
// (the project's tsconfig) is answered first.
setImmediate(() => {
  warmUp();
  post({ kind: "ready" });
});
