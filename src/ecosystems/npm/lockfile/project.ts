import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseYaml } from "./yaml.js";
import { InputError } from "../../../errors.js";
import type { Manifest, ProjectManifests } from "./types.js";

/** Reads package.json and every workspace's package.json (npm/yarn `workspaces` or pnpm-workspace.yaml). */
export async function readProjectManifests(projectDir: string): Promise<ProjectManifests> {
  await assertReadableDirectory(projectDir);
  const root = await readManifest(path.join(projectDir, "package.json"));
  const manifests: ProjectManifests = new Map([[".", root]]);
  const patterns = workspacePatterns(root) ?? (await pnpmWorkspacePatterns(projectDir));
  if (!patterns || patterns.length === 0) return manifests;
  // Loaded only for a project with workspaces (it brings glob and minimatch).
  const { default: mapWorkspaces } = await import("@npmcli/map-workspaces");
  const workspaces: Map<string, string> = await mapWorkspaces({ cwd: projectDir, pkg: { workspaces: patterns } });
  for (const workspaceDir of workspaces.values()) {
    const importer = path.relative(projectDir, workspaceDir).split(path.sep).join("/");
    manifests.set(importer, await readManifest(path.join(workspaceDir, "package.json")));
  }
  return manifests;
}

async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`no package.json at ${file}`);
    throw new InputError(`cannot read ${file} (${code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InputError(`${file} is not a package.json object`);
  const workspaces = (parsed as Manifest).workspaces;
  const patterns = Array.isArray(workspaces) ? workspaces : workspaces?.packages;
  if (patterns !== undefined && (!Array.isArray(patterns) || patterns.some((pattern) => typeof pattern !== "string"))) {
    throw new InputError(`${file}: "workspaces" must be a list of folder patterns`);
  }
  return parsed;
}

function workspacePatterns(manifest: Manifest): string[] | undefined {
  const workspaces = manifest.workspaces;
  if (Array.isArray(workspaces)) return workspaces;
  return workspaces?.packages;
}

async function pnpmWorkspacePatterns(projectDir: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(projectDir, "pnpm-workspace.yaml"), "utf8");
  } catch {
    return undefined;
  }
  let document: { packages?: unknown } | null;
  try {
    document = parseYaml(text) as { packages?: unknown } | null;
  } catch (error) {
    throw new InputError(`${path.join(projectDir, "pnpm-workspace.yaml")} is not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
  const packages = document?.packages;
  return Array.isArray(packages) ? packages.filter((p): p is string => typeof p === "string") : undefined;
}

async function assertReadableDirectory(dir: string): Promise<void> {
  try {
    await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`project directory not found: ${dir}`);
    if (code === "ENOTDIR") throw new InputError(`not a directory: ${dir}`);
    throw new InputError(`cannot read project directory ${dir} (${code ?? (error as Error).message})`);
  }
}
