// Runs one API diff at a time off the main thread, so a pathological package costs a bounded time
// and heap (the runner terminates this thread) instead of the whole review.
import { parentPort } from "node:worker_threads";
import { diffDeclarations } from "./diff.js";
import { type ProofProject, type ProofResult, proveWithProject } from "./proof.js";
import type { ApiDiff, PackageDeclarations } from "./types.js";

export type DiffJob =
  | { kind: "diff"; from: PackageDeclarations; to: PackageDeclarations; review: boolean }
  | { kind: "prove"; project: ProofProject; from: PackageDeclarations; to: PackageDeclarations };

export type DiffMessage =
  | { kind: "confident"; diff: ApiDiff }
  | { kind: "done"; diff: ApiDiff }
  | { kind: "proved"; proof: ProofResult }
  | { kind: "failed"; message: string };

parentPort?.on("message", (job: DiffJob) => {
  const post = (message: DiffMessage) => parentPort?.postMessage(message);
  try {
    if (job.kind === "prove") {
      post({ kind: "proved", proof: proveWithProject(job.project, job.from, job.to) });
      return;
    }
    const diff = diffDeclarations(job.from, job.to, { review: job.review, onConfident: (confident) => post({ kind: "confident", diff: confident }) });
    post({ kind: "done", diff });
  } catch (error) {
    post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
  }
});
