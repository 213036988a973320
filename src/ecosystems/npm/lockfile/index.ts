import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../../../errors.js";
import type { Inventory } from "../../../types.js";
import type { InventoryRequest } from "../../types.js";
import { inventoryFromGraph } from "../../lock-graph.js";
import { npmReader } from "./npm.js";
import { pnpmReader } from "./pnpm.js";
import { readProjectManifests } from "./project.js";
import { findOutOfSync } from "./sync.js";
import { LockfileFormatError } from "../../lock-graph.js";
import { type LockfileReader, type Manifest } from "./types.js";
import { yarnBerryReader } from "./yarn-berry.js";
import { yarnClassicReader } from "./yarn-classic.js";

/** Every lockfile format bumpwise reads. Adding a format = adding a file and a line here. */
export const lockfileReaders: readonly LockfileReader[] = [npmReader, yarnBerryReader, yarnClassicReader, pnpmReader];

const detectionOrder = ["npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"];


export async function readInventory(request: InventoryRequest): Promise<Inventory> {
  const projectDir = path.resolve(request.projectDir);
  const manifests = await readProjectManifests(projectDir);
  const lockfilePath = request.lockfilePath
    ? path.resolve(request.lockfilePath)
    : await detectLockfile(projectDir, manifests.get(".") ?? {});
  const content = request.content ?? (await readLockfile(lockfilePath));
  const reader = pickReader(lockfilePath, content);
  let graph: ReturnType<LockfileReader["parse"]>;
  try {
    graph = reader.parse(content, manifests);
  } catch (error) {
    if (error instanceof LockfileFormatError) throw new InputError(`${lockfilePath}: ${error.message}`);
    throw error;
  }
  const drift = request.content === undefined ? findOutOfSync(graph, manifests) : undefined;
  if (drift) {
    throw new InputError(
      `${path.basename(lockfilePath)} is out of sync with package.json: ${drift}; run your package manager's install first`,
    );
  }
  return { ecosystem: "npm", manager: reader.manager, lockfilePath, packages: inventoryFromGraph(graph) };
}

// The command that writes a lockfile without installing, per package manager ("packageManager" in package.json).
const lockCommand: Record<string, string> = { npm: "npm install --package-lock-only", pnpm: "pnpm install --lockfile-only", yarn: "yarn install --mode update-lockfile" };

async function detectLockfile(projectDir: string, manifest: Manifest): Promise<string> {
  const found: string[] = [];
  for (const name of detectionOrder) {
    const candidate = path.join(projectDir, name);
    if (await exists(candidate)) found.push(candidate);
  }
  if (found.length === 0) {
    throw new InputError(
      `no lockfile in ${projectDir} (looked for ${detectionOrder.join(", ")}); make one with \`${/^yarn@1\./.test(manifest.packageManager ?? "") ? "yarn install" : (lockCommand[manifest.packageManager?.split("@")[0] ?? "npm"] ?? lockCommand.npm)}\`, or pass --lockfile PATH`,
    );
  }
  // With several lockfiles, the one of the declared package manager wins ("packageManager": "pnpm@9.1.0").
  const declared = manifest.packageManager?.split("@")[0];
  const preferred = found.find((file) => declared && managerFileNames(declared).includes(path.basename(file)));
  return preferred ?? (found[0] as string);
}

function managerFileNames(manager: string): string[] {
  return lockfileReaders.filter((reader) => reader.manager.startsWith(manager)).flatMap((reader) => reader.fileNames);
}

async function readLockfile(lockfilePath: string): Promise<string> {
  try {
    return await readFile(lockfilePath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`lockfile not found: ${lockfilePath}`);
    throw new InputError(`cannot read lockfile ${lockfilePath} (${code ?? (error as Error).message})`);
  }
}

function pickReader(lockfilePath: string, content: string): LockfileReader {
  const base = path.basename(lockfilePath);
  const byName = lockfileReaders.filter((reader) => reader.fileNames.includes(base));
  const candidates = byName.length > 0 ? byName : lockfileReaders;
  const reader = candidates.find((candidate) => candidate.accepts(content));
  if (!reader) {
    throw new InputError(
      `${lockfilePath}: unknown lockfile format (bumpwise reads package-lock.json, npm-shrinkwrap.json, yarn.lock and pnpm-lock.yaml)`,
    );
  }
  return reader;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
