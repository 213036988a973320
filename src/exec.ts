import { execa } from "execa";
import { onInterrupt } from "./interrupt.js";
import { redactUserinfo } from "./secrets.js";

/**
 * The one seam for subprocesses: argument arrays only, never a shell string. Tests can record calls.
 * `purpose` says what the command was for, in failure messages ("to regenerate package-lock.json").
 */
export type Exec = (command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; purpose?: string }) => Promise<{ stdout: string }>;

export class CommandFailed extends Error {
  override name = "CommandFailed";
  constructor(
    /** The program and its subcommand as a person would name them: "npm install", "git worktree". */
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly output: string,
    readonly missingBinary: boolean,
    readonly binary: string = command.split(" ")[0] ?? command,
    purpose?: string,
  ) {
    const why = purpose ? ` (${purpose})` : "";
    const install = installHints.get(binary);
    super(missingBinary ? `${binary} is not installed (not found on PATH)${purpose ? `; it is needed ${purpose}` : ""}${install ? `: ${install}` : ""}` : `${command} failed${why} (exit ${exitCode ?? "?"}): ${gist(output)}`);
  }
}

/** A command stopped at its time limit (`timeoutMs`), with every process it started. */
export class CommandTimedOut extends CommandFailed {
  override name = "CommandTimedOut";
  constructor(command: string, readonly limitMs: number, purpose?: string) {
    super(command, undefined, "timed out", false, command.split(" ")[0] ?? command, purpose);
    this.message = `${command} ran past its time limit (${limitMs / 1000} s) and was stopped`;
  }
}

// How to install the tools a lockfile is written with, said when one is missing.
const installHints = new Map([
  ["uv", "pip install uv (or see https://docs.astral.sh/uv/getting-started/installation/)"],
  ["poetry", "pipx install poetry"],
  ["pipenv", "pip install pipenv"],
  ["pip-compile", "pip install pip-tools"],
  ["python3", "install Python 3"],
  ["pnpm", "corepack enable pnpm (or npm install -g pnpm)"],
  ["yarn", "corepack enable yarn (or npm install -g yarn)"],
]);

// A tool's output in one line: its first two lines that say what failed, then its last line (uv ends a
// failed download with "failed to lookup address", three lines below the URL it could not fetch).
function gist(output: string): string {
  const lines = redactUserinfo(output).split("\n").map((line) => line.trim()).filter(Boolean);
  const telling = lines.filter((line) => /error|fail|not found|denied|refused|conflict/i.test(line)).slice(0, 2);
  return [...new Set([...telling, ...lines.slice(telling.length > 0 ? -1 : -3)])].join(" / ");
}

// "git -c user.name=x commit …" is "git commit": options before the subcommand are not its name.
function subcommand(args: string[]): string {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (arg === "-c" || arg === "-C") {
      index++;
      continue;
    }
    if (!arg.startsWith("-")) return arg;
  }
  return "";
}

export const runCommand: Exec = async (command, args, options) => {
  const limitMs = options.timeoutMs;
  // A command with a time limit leads a process group of its own: at the limit the whole group is
  // stopped, so a child that outlives it and holds its stdout (`sleep 1000 &`) cannot keep the run waiting.
  const subprocess = execa(command, args, { cwd: options.cwd, env: options.env ?? process.env, extendEnv: false, stdin: "ignore", ...(limitMs ? { detached: true } : {}) });
  let timedOut = false;
  const stop = (signal: NodeJS.Signals) => {
    if (subprocess.pid === undefined) return;
    try {
      process.kill(-subprocess.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const timer = limitMs
    ? setTimeout(() => {
      timedOut = true;
      stop("SIGTERM");
      // A process that ignores SIGTERM gets two seconds.
      setTimeout(() => stop("SIGKILL"), 2_000).unref();
    }, limitMs)
    : undefined;
  // Detached, the group no longer gets the terminal's Ctrl-C: an interrupted run stops it itself.
  const interrupted = limitMs ? onInterrupt(async () => stop("SIGTERM")) : undefined;
  try {
    const result = await subprocess;
    return { stdout: result.stdout };
  } catch (error) {
    if (timedOut && limitMs) throw new CommandTimedOut(command, limitMs, options.purpose);
    const failure = error as { code?: string; exitCode?: number; stderr?: string; stdout?: string };
    const output = `${failure.stderr ?? ""}\n${failure.stdout ?? ""}`;
    throw new CommandFailed(`${command} ${subcommand(args)}`.trim(), failure.exitCode, output, failure.code === "ENOENT", command, options.purpose);
  } finally {
    clearTimeout(timer);
    interrupted?.();
  }
};
