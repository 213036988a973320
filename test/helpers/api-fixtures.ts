import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { declarationsFromFiles, isDeclarationFile } from "../../src/ecosystems/npm/api/declarations.js";
import type { PackageDeclarations } from "../../src/ecosystems/npm/api/types.js";

export const apiFixtures = path.resolve(import.meta.dirname, "../../fixtures/api");

/** One side of a recorded pair (fixtures/api/<pair>/<from|to>/), loaded the way the tarball is. */
export async function loadRecorded(pair: string, side: "from" | "to"): Promise<PackageDeclarations> {
  const dir = path.join(apiFixtures, pair, side);
  const meta = JSON.parse(await readFile(path.join(dir, "declarations.json"), "utf8")) as Pick<PackageDeclarations, "name" | "version" | "source" | "manifest">;
  const files = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (isDeclarationFile(file)) files.push({ path: file, content: await readFile(path.join(dir, file), "utf8") });
  }
  return declarationsFromFiles(meta.name, meta.version, meta.source, meta.manifest, files);
}
