import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type PythonCi, type PythonTool, workflowYaml } from "../ci/workflow.js";
import { detectEcosystem } from "../ecosystems/index.js";
import { compileCommand } from "../ecosystems/pypi/lock-writers/index.js";
import { InputError } from "../errors.js";
import { type CliIo, exitCodes } from "./io.js";

/**
 * `bumpwise init ci`: writes .github/workflows/bumpwise.yml, never over an existing file without --force.
 * A Python project's workflow also sets up Python and the tool its lockfile is written with.
 */
export async function runInitCi(dir: string | undefined, flags: { force: boolean }, io: CliIo): Promise<number> {
  const projectDir = path.resolve(io.cwd, dir ?? ".");
  const file = path.join(projectDir, ".github", "workflows", "bumpwise.yml");
  const python = await pythonCi(projectDir);
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

// The tool is the lockfile's: uv.lock, poetry.lock, Pipfile.lock, or the compile command a requirements file records.
async function pythonCi(projectDir: string): Promise<PythonCi | undefined> {
  const plugin = await detectEcosystem(projectDir, {});
  if (plugin.ecosystem !== "pypi") return undefined;
  const exists = (name: string) => access(path.join(projectDir, name)).then(() => true, () => false);
  const requirements = await readFile(path.join(projectDir, "requirements.txt"), "utf8").catch(() => "");
  const compiled = compileCommand(requirements)?.binary;
  const tool: PythonTool = (await exists("uv.lock"))
    ? "uv"
    : (await exists("poetry.lock"))
      ? "poetry"
      : (await exists("Pipfile.lock"))
        ? "pipenv"
        : compiled === "uv" ? "uv" : compiled === "pip-compile" ? "pip-tools" : "none";
  return { tool, ...((await exists(".python-version")) ? { pythonVersionFile: ".python-version" } : {}) };
}
