import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { workflowYaml } from "../ci/workflow.js";
import { detectEcosystem } from "../ecosystems/index.js";
import { InputError } from "../errors.js";
import { type CliIo, exitCodes } from "./io.js";

/**
 * `bumpwise init ci`: writes .github/workflows/bumpwise.yml, never over an existing file without --force.
 * A Python project's workflow also sets up Python and the tool its lockfile is written with.
 */
export async function runInitCi(dir: string | undefined, flags: { force: boolean }, io: CliIo): Promise<number> {
  const projectDir = path.resolve(io.cwd, dir ?? ".");
  const file = path.join(projectDir, ".github", "workflows", "bumpwise.yml");
  const plugin = await detectEcosystem(projectDir, {});
  const { python } = (await plugin.ciSetup?.(projectDir)) ?? {};
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, workflowYaml(python), { flag: flags.force ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new InputError(`${file} exists; pass --force to replace it`);
    throw error;
  }
  const setup = python ? ` It sets up Python${python.tool === "none" ? "" : ` and ${python.tool}`}.` : "";
  io.stderr.write(`Wrote ${path.relative(io.cwd, file) || file}.${setup} Add the ANTHROPIC_API_KEY secret for Claude reviews (optional).\n`);
  return exitCodes.ok;
}
