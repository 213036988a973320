import { execa } from "execa";

/** The one seam for subprocesses: argument arrays only, never a shell string. Tests can record calls. */
export type Exec = (command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) => Promise<{ stdout: string }>;

export class CommandFailed extends Error {
  override name = "CommandFailed";
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly output: string,
    readonly missingBinary: boolean,
  ) {
    super(missingBinary ? `${command} is not installed (not found on PATH)` : `${command} failed (exit ${exitCode ?? "?"}): ${output.trim().split("\n").slice(-3).join(" / ")}`);
  }
}

export const runCommand: Exec = async (command, args, options) => {
  try {
    const result = await execa(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      extendEnv: false,
      stdin: "ignore",
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    });
    return { stdout: result.stdout };
  } catch (error) {
    const failure = error as { code?: string; exitCode?: number; stderr?: string; stdout?: string; timedOut?: boolean };
    const output = `${failure.stderr ?? ""}\n${failure.stdout ?? ""}`;
    throw new CommandFailed(`${command} ${args[0] ?? ""}`.trim(), failure.exitCode, failure.timedOut ? "timed out" : output, failure.code === "ENOENT");
  }
};
