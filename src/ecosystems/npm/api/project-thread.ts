// The run's first analysis thread, started to read the project (its tsconfig, its code's imports and use
// sites) and then handed to the API diff's pool: TypeScript is loaded once a run, on that thread, never on
// the main one. uptime-kuma: the main thread's TypeScript and its parse of 349 files were ~65 MB of the
// run's peak memory and ~0.5 s of its main thread.
import type { CompilerSettings } from "../../../project/facts.js";
import type { FileScan } from "../../../usage/types.js";
import { type AnalysisThread, defaultApiBudget, startAnalysisThread } from "./runner.js";
import type { AnalysisJob, AnalysisMessage } from "./worker.js";

let spare: { thread: AnalysisThread; idle: Promise<unknown> } | undefined;

/** Runs one job on the project thread (started on first use) and returns its answer; jobs run one after another. */
function ask<K extends AnalysisMessage["kind"]>(job: AnalysisJob, answer: K): Promise<Extract<AnalysisMessage, { kind: K }>> {
  spare ??= { thread: startAnalysisThread(defaultApiBudget.heapMb), idle: Promise.resolve() };
  const { worker } = spare.thread;
  const asked = spare.idle.then(
    () =>
      new Promise<Extract<AnalysisMessage, { kind: K }>>((resolve, reject) => {
        const done = () => {
          worker.off("message", onMessage);
          worker.off("error", onError);
          worker.off("exit", onError);
          worker.unref();
        };
        const onMessage = (message: AnalysisMessage) => {
          if (message.kind === "ready") return;
          done();
          if (message.kind === answer) resolve(message as Extract<AnalysisMessage, { kind: K }>);
          else reject(new Error(message.kind === "failed" ? message.message : `unexpected answer ${message.kind}`));
        };
        // A thread that crashed or exited answers nothing more: the next job starts another.
        const onError = (error: Error | number) => {
          done();
          if (spare?.thread.worker === worker) spare = undefined;
          reject(error instanceof Error ? error : new Error(`the analysis thread exited (${error})`));
        };
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.on("exit", onError);
        worker.ref();
        worker.postMessage(job);
      }),
  );
  spare.idle = asked.catch(() => undefined);
  return asked;
}

/** The tsconfig's module settings (tsconfig.ts), read on the project thread. */
export async function readCompilerSettings(tsconfig: string): Promise<CompilerSettings | { error: string }> {
  try {
    return (await ask({ kind: "settings", tsconfig }, "settings")).settings;
  } catch (error) {
    return { error: `tsconfig.json could not be read: ${error instanceof Error ? error.message : String(error)}; module settings unknown` };
  }
}

/** Each file's imports and use sites (usage/parse.ts), parsed on the project thread; why not, when the thread failed. */
export async function scanOnProjectThread(files: [string, string][]): Promise<Map<string, FileScan | { error: string }> | { failed: string }> {
  try {
    return new Map((await ask({ kind: "scan", files }, "scanned")).scans);
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

/** Hands the project thread to the API diff's pool once its jobs are done (undefined when none was started). */
export function adoptProjectThread(): AnalysisThread | undefined {
  if (!spare) return undefined;
  const { thread, idle } = spare;
  spare = undefined;
  return { worker: thread.worker, ready: idle.then(() => thread.ready) };
}

/** Ends a project thread nobody adopted (the API diff was off). */
export async function closeProjectThread(): Promise<void> {
  const left = spare;
  spare = undefined;
  if (left) await left.thread.worker.terminate();
}
