import { access, readFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { bumpwiseAction, type ToolManifest } from "../ci/action-spec.js";
import { pullRequestWorkflowYaml } from "../ci/pull-request-workflow.js";
import { slugSuffix, workflowYaml } from "../ci/workflow.js";
import { detectEcosystem } from "../ecosystems/index.js";
import { InputError } from "../errors.js";
import type { Ecosystem } from "../types.js";
import { type CliIo, exitCodes } from "./io.js";

export interface InitCiFlags {
  force: boolean;
  /** The weekly review that opens an upgrade pull request (bumpwise.yml). */
  schedule?: boolean;
  /** The review of each pull request that changes a lockfile (bumpwise-pr.yml). */
  pullRequests?: boolean;
  /** owner/repo@sha of the bumpwise action; default: the repository and commit this package was published from. */
  action?: string;
  /** The project's folder; the same as the [dir] argument. */
  project?: string;
  ecosystem?: Ecosystem;
}

/**
 * `bumpwise init ci`: writes the workflows (both unless --schedule or --pull-requests picks one) into the
 * `.github/workflows` of the git repository that holds the project, never over an existing file without
 * --force. They run bumpwise's own action pinned by commit, in the project's folder.
 */
export async function runInitCi(dir: string | undefined, flags: InitCiFlags, io: CliIo): Promise<number> {
  const projectDir = path.resolve(io.cwd, flags.project ?? dir ?? ".");
  const action = bumpwiseAction(flags.action, await ownManifest());
  const both = !flags.schedule && !flags.pullRequests;
  const plugin = await detectEcosystem(projectDir, flags.ecosystem ? { ecosystem: flags.ecosystem } : {});
  const repoRoot = await gitRoot(projectDir);
  const project = path.relative(repoRoot, projectDir).split(path.sep).join("/");
  const setup = { action, project, ...(await plugin.ciSetup?.(projectDir)) };
  const found = await Promise.all(plugin.lockfileNames.map((name) => access(path.join(projectDir, name)).then(() => true, () => false)));
  if (!found.includes(true)) io.stderr.write(`warning: no lockfile in ${projectDir} (${plugin.lockfileNames.join(", ")}): the workflows run, but review nothing until one is committed\n`);
  // A pinned requirements file may have any name: the workflow watches requirements*.txt.
  const lockfiles = plugin.lockfileNames.map((name) => (name === "requirements.txt" ? "requirements*.txt" : name));
  const suffix = slugSuffix(project);
  const files: [string, string][] = [];
  if (both || flags.schedule) files.push([`bumpwise${suffix}.yml`, workflowYaml(setup)]);
  if (both || flags.pullRequests) files.push([`bumpwise-pr${suffix}.yml`, pullRequestWorkflowYaml({ ...setup, lockfiles })]);
  const folder = path.join(repoRoot, ".github", "workflows");
  await mkdir(folder, { recursive: true });
  for (const [name, text] of files) {
    const file = path.join(folder, name);
    try {
      await writeFile(file, text, { flag: flags.force ? "w" : "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new InputError(`${file} exists; pass --force to replace it`);
      throw error;
    }
    io.stderr.write(`Wrote ${path.relative(io.cwd, file) || file}.\n`);
  }
  const { python } = setup;
  const pythonSaid = python ? ` The action sets up Python${python.tool === "none" ? "" : ` and ${python.tool}`}.` : "";
  const folderSaid = project ? ` in ${project}` : "";
  io.stderr.write(`bumpwise runs from ${action}${folderSaid}.${pythonSaid} Add the ANTHROPIC_API_KEY secret for Claude reviews (optional; for Dependabot's pull requests, as a Dependabot secret too).\n`);
  return exitCodes.ok;
}

// The workflows belong to the repository: the nearest folder at or above the project with a .git entry.
// Outside a git repository, the project's own folder.
async function gitRoot(projectDir: string): Promise<string> {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    if (await access(path.join(dir, ".git")).then(() => true, () => false)) return dir;
    if (path.dirname(dir) === dir) return projectDir;
  }
}

// Both src/cli (tests) and dist/cli (installed) sit two levels below package.json.
async function ownManifest(): Promise<ToolManifest> {
  return JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as ToolManifest;
}

