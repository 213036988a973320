import { InputError } from "../../../errors.js";
import type { PackageManager } from "../../../types.js";
import { type LockWriter, NeedsBuild } from "../../lock-writer.js";
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
  const writer = toolWriter(manager, lockfileText, setup);
  if (setup.allowBuilds || !setup.hasWheel) return writer;
  const hasWheel = setup.hasWheel;
  return {
    ...writer,
    // Checked before any tool runs, the same for every tool (Poetry has no switch that stops a build
    // while locking): a target the index has no wheel of would be built to read its metadata.
    async relock(projectDir, targets, exec, env, lockfile) {
      const wheelless: string[] = [];
      for (const [name, version] of targets) if (!(await hasWheel(name, version).catch(() => true))) wheelless.push(name);
      if (wheelless.length > 0) throw new NeedsBuild(wheelless, "the index has no wheel of it");
      return writer.relock(projectDir, targets, exec, env, lockfile);
    },
  };
}

function toolWriter(manager: PackageManager, lockfileText: string, setup: PythonToolSetup): LockWriter {
  const tools = (env: NodeJS.ProcessEnv) => toolEnv(env, setup);
  const allowBuilds = setup.allowBuilds === true;
  switch (manager) {
    case "uv":
      return uvWriter(tools, allowBuilds);
    case "poetry":
      return poetryWriter(tools);
    case "pipenv":
      return pipenvWriter(tools);
    case "pip": {
      const command = compileCommand(lockfileText, allowBuilds);
      return command ? compileWriter(command, tools, allowBuilds) : handPinnedWriter(tools, setup.digests);
    }
    default:
      throw new InputError(`--branch, --pr and --verify write uv.lock, poetry.lock, Pipfile.lock and requirements files for Python projects; ${manager} lockfiles are not written yet: review without them`);
  }
}
