import path from "node:path";
import { errorMessage, RuntimeFailure } from "../../../errors.js";
import { readProjectFile, writeProjectFile } from "../../../safe-file.js";
import type { LockWriter } from "../../lock-writer.js";
import { pinRequirementsFile, rehashRequirementsFile } from "../pins.js";
import { pipInstall, type PythonToolSetup, readLockInventory, type ToolEnv } from "./environment.js";

/** A requirements file written by hand: it is its own lockfile, so the pins are the whole change. */
export function handPinnedWriter(tools: ToolEnv, digests: PythonToolSetup["digests"]): LockWriter {
  return {
    tool: "pip",
    description: "Pinned in the requirements file, --hash lines replaced with the new releases' digests from the index (no compile command in its header, so nothing else changed).",
    // The file is the lockfile: pinned in relock, which knows its path.
    async pin() {},
    async relock(projectDir, targets, _exec, _env, lockfile) {
      const relative = path.relative(projectDir, lockfile);
      const { text, pinned, hashes } = pinRequirementsFile(await readProjectFile(projectDir, relative, "the pin in"), targets);
      if (!hashes || pinned.length === 0) return writeProjectFile(projectDir, relative, text, "the pin in");
      if (!digests) throw new RuntimeFailure(`${path.basename(lockfile)} has --hash lines, and the index that would give the new ones is not known`);
      const found = new Map<string, string[]>();
      for (const name of pinned) {
        const version = targets.get(name) ?? "";
        try {
          found.set(name, await digests(name, version));
        } catch (error) {
          throw new RuntimeFailure(`the hashes of ${name} ${version} could not be read from the index: ${errorMessage(error)}`);
        }
      }
      await writeProjectFile(projectDir, relative, rehashRequirementsFile(text, found), "the pin in");
    },
    readInventory: readLockInventory,
    install: (projectDir, exec, env, lockfile) => pipInstall(projectDir, exec, tools(env), lockfile),
  };
}
