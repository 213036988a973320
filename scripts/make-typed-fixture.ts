// Writes fixtures/tarballs/typed-fixture-{1.0.0,1.1.0}.tgz and fixtures/registry/typed-fixture.json: a
// package of our own with type declarations, for tests that need the API diff to read a real tarball
// from the fake registry (the recorded real tarballs keep only package.json and changelogs).
// Usage: npx tsx scripts/make-typed-fixture.ts
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { create } from "tar";

const root = path.resolve(import.meta.dirname, "..");
const declarations: Record<string, string> = {
  "1.0.0": "export interface Options {\n  retries: number;\n}\nexport declare function connect(url: string, options?: Options): Promise<void>;\n",
  "1.1.0": "export interface Options {\n  retries: number;\n  timeoutMs?: number;\n}\nexport declare function connect(url: string, options?: Options): Promise<void>;\nexport declare function disconnect(): void;\n",
};
const versions: Record<string, unknown> = {};
const time: Record<string, string> = {};
for (const [version, types] of Object.entries(declarations)) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "typed-fixture-"));
  const manifest = { name: "typed-fixture", version, main: "index.js", types: "index.d.ts", license: "MIT" };
  await mkdir(path.join(dir, "package"));
  await writeFile(path.join(dir, "package", "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(dir, "package", "index.d.ts"), types);
  const file = path.join(root, "fixtures", "tarballs", `typed-fixture-${version}.tgz`);
  // A fixed mtime and portable headers: the same bytes on every run.
  await create({ gzip: true, cwd: dir, file, portable: true, mtime: new Date("2026-12-06T00:00:00Z") }, ["package"]);
  const integrity = `sha512-${createHash("sha512").update(await readFile(file)).digest("base64")}`;
  versions[version] = { ...manifest, dist: { integrity, tarball: `/typed-fixture/-/typed-fixture-${version}.tgz` } };
  time[version] = version === "1.0.0" ? "2026-01-05T00:00:00.000Z" : "2026-03-02T00:00:00.000Z";
}
const packument = { name: "typed-fixture", "dist-tags": { latest: "1.1.0" }, time, versions };
await writeFile(path.join(root, "fixtures", "registry", "typed-fixture.json"), `${JSON.stringify(packument, null, 2)}\n`);
