export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const exitCodes = { ok: 0, findings: 1, input: 2, runtime: 3 } as const;
