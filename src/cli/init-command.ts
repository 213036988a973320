import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { workflowYaml } from "../ci/workflow.js";
import { InputError } from "../errors.js";
import { type CliIo, exitCodes } from "./io.js";

/** `bumpwise init ci`: writes .github/workflows/bumpwise.yml, never over an existing file without --force. */
export async function runInitCi(dir: string | undefined, flags: { force: boolean }, io: CliIo): Promise<number> {
  const file = path.join(path.resolve(io.cwd, dir ?? "."), ".github", "workflows", "bumpwise.yml");
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, workflowYaml(), { flag: flags.force ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new InputError(`${file} exists; pass --force to replace it`);
    throw error;
  }
  io.stderr.write(`Wrote ${path.relative(io.cwd, file) || file}. Add the ANTHROPIC_API_KEY secret for Claude reviews (optional).\n`);
  return exitCodes.ok;
}
