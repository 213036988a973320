import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { PythonCi, PythonTool } from "../../ci/workflow.js";
import { compileCommand } from "./lock-writers/index.js";

// The tool is the lockfile's: uv.lock, poetry.lock, Pipfile.lock, or the compile command a requirements file records.
export async function pythonCi(projectDir: string): Promise<PythonCi> {
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
