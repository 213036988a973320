import { InputError } from "../../../errors.js";
import type { PackageManager } from "../../../types.js";
import type { LockWriter } from "../../lock-writer.js";
import { compileCommand, compileWriter } from "./compile.js";
import { type PythonToolSetup, toolEnv } from "./environment.js";
import { handPinnedWriter } from "./hand-pinned.js";
import { pipenvWriter } from "./pipenv.js";
import { poetryWriter } from "./poetry.js";
import { uvWriter } from "./uv.js";

export { compileCommand } from "./compile.js";
export type { PythonToolSetup } from "./environment.js";

/**
 * The Python lock writers, one file per tool: the lockfile's tool regenerates it after the pins.
 * --verify installs into a virtualenv at the throwaway worktree's `.venv`, never the user's.
 */
export function pythonLockWriter(manager: PackageManager, lockfileText: string, setup: PythonToolSetup = { offline: false }): LockWriter {
  const tools = (env: NodeJS.ProcessEnv) => toolEnv(env, setup);
  switch (manager) {
    case "uv":
      return uvWriter(tools);
    case "poetry":
      return poetryWriter(tools);
    case "pipenv":
      return pipenvWriter(tools);
    case "pip": {
      const command = compileCommand(lockfileText);
      return command ? compileWriter(command, tools) : handPinnedWriter(tools, setup.digests);
    }
    default:
      throw new InputError(`--branch, --pr and --verify write uv.lock, poetry.lock, Pipfile.lock and requirements files for Python projects; ${manager} lockfiles are not written yet: review without them`);
  }
}
