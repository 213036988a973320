import { readdir } from "node:fs/promises";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const sourceExtensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".vue", ".svelte"];
const skippedFolders = new Set(["node_modules", ".git", "dist", "build", "out", "coverage", ".next", ".nuxt", ".svelte-kit", ".bumpwise", ".turbo", ".cache", ".venv", "venv", "__pycache__", "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache"]);

/**
 * The project's source files, relative to projectDir. In a git checkout: what git tracks plus untracked
 * files it does not ignore (so .gitignore is honoured); elsewhere a walk that skips node_modules and
 * build output. Either way, dependency folders and build output are left out.
 */
export async function listSourceFiles(projectDir: string, maxFiles = 20_000, extensions: readonly string[] = sourceExtensions): Promise<string[]> {
  const fromGit = await gitFiles(projectDir);
  const files = fromGit ?? (await walk(projectDir, "", maxFiles));
  return files
    .filter((file) => extensions.includes(path.extname(file)) && !file.endsWith(".d.ts"))
    .filter((file) => !file.split("/").some((part) => skippedFolders.has(part)))
    .slice(0, maxFiles)
    .sort();
}

async function gitFiles(projectDir: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await promisify(execFile)("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: projectDir, maxBuffer: 64 * 1024 * 1024 });
    return stdout.split("\0").filter(Boolean);
  } catch {
    return undefined;
  }
}

async function walk(root: string, relative: string, budget: number): Promise<string[]> {
  const found: string[] = [];
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (found.length >= budget) break;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name) && !entry.name.startsWith(".")) found.push(...(await walk(root, child, budget - found.length)));
    } else if (entry.isFile()) {
      found.push(child);
    }
  }
  return found;
}
