import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/errors.js";
import { readInventory } from "../../../../src/ecosystems/npm/lockfile/index.js";
import { fixturesDir } from "../../../helpers/fake-registry.js";

async function projectFrom(fixture: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-lock-"));
  await cp(path.join(fixturesDir, fixture), dir, { recursive: true });
  return dir;
}

async function inputError(projectDir: string, lockfilePath?: string): Promise<string> {
  const error = await readInventory({ projectDir, ...(lockfilePath ? { lockfilePath } : {}) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  const message = (error as Error).message;
  expect(message.split("\n")).toHaveLength(1);
  return message;
}

describe("bad inputs are one clear InputError", () => {
  it("no lockfile", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-lock-"));
    await writeFile(path.join(dir, "package.json"), "{}");
    expect(await inputError(dir)).toMatch(/^no lockfile in .* pass --lockfile PATH$/);
  });

  it("no package.json", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-lock-"));
    expect(await inputError(dir)).toMatch(/^no package\.json at /);
  });

  it("corrupt package-lock.json", async () => {
    const dir = await projectFrom("demo");
    const lock = await readFile(path.join(dir, "package-lock.json"), "utf8");
    await writeFile(path.join(dir, "package-lock.json"), lock.slice(0, lock.length / 2));
    expect(await inputError(dir)).toMatch(/package-lock\.json: not valid JSON/);
  });

  it("package-lock.json of an unknown shape", async () => {
    const dir = await projectFrom("demo");
    await writeFile(path.join(dir, "package-lock.json"), JSON.stringify({ lockfileVersion: 7, packages: {} }));
    expect(await inputError(dir)).toMatch(/not a package-lock\.json npm can read/);
  });

  it("a package-lock.json field of the wrong kind is named", async () => {
    const dir = await projectFrom("demo");
    const lock = JSON.parse(await readFile(path.join(dir, "package-lock.json"), "utf8"));
    lock.packages["node_modules/express"].version = 4;
    await writeFile(path.join(dir, "package-lock.json"), JSON.stringify(lock));
    expect(await inputError(dir)).toMatch(/not a package-lock\.json npm can read \(packages\.node_modules\/express\.version: expected a string\)/);
    lock.packages["node_modules/express"] = { version: "4.18.2", dependencies: { debug: 2 } };
    await writeFile(path.join(dir, "package-lock.json"), JSON.stringify(lock));
    expect(await inputError(dir)).toMatch(/\(packages\.node_modules\/express\.dependencies\.debug: expected a string\)/);
  });

  it("a v1 package-lock.json entry without a version is named", async () => {
    const dir = await projectFrom("demo");
    await writeFile(path.join(dir, "package-lock.json"), JSON.stringify({ lockfileVersion: 1, dependencies: { express: { version: "4.18.2", dependencies: { debug: { dev: true } } } } }));
    expect(await inputError(dir)).toMatch(/\(dependencies\.express\.dependencies\.debug\.version: expected a string\)/);
  });

  it("a pnpm importer's dependency without a version is named", async () => {
    const dir = await projectFrom("lockfiles/pnpm-v9");
    await writeFile(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4\n");
    expect(await inputError(dir)).toMatch(/not a pnpm lockfile \(importers\["\."\]\.dependencies\.lodash\.version: expected a string\)/);
  });

  it("corrupt yarn.lock", async () => {
    const dir = await projectFrom("lockfiles/yarn-classic");
    await writeFile(path.join(dir, "yarn.lock"), 'lodash@^4:\n  version "4.17.21"\n   bad: [indent\n');
    expect(await inputError(dir)).toMatch(/yarn\.lock/);
  });

  it("corrupt pnpm-lock.yaml", async () => {
    const dir = await projectFrom("lockfiles/pnpm-v9");
    await writeFile(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\nimporters: [\n");
    expect(await inputError(dir)).toMatch(/pnpm-lock\.yaml: not valid YAML/);
  });

  it("pnpm lockfile v5 is named as unsupported", async () => {
    const dir = await projectFrom("lockfiles/pnpm-v9");
    await writeFile(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: 5.4\n");
    expect(await inputError(dir)).toMatch(/pnpm lockfile version 5.4 is not supported/);
  });

  it("a file that is no lockfile format", async () => {
    const dir = await projectFrom("demo");
    const other = path.join(dir, "deps.txt");
    await writeFile(other, "express 4.18.2\n");
    expect(await inputError(dir, other)).toMatch(/unknown lockfile format/);
  });

  it("lockfile missing at --lockfile", async () => {
    const dir = await projectFrom("demo");
    expect(await inputError(dir, path.join(dir, "nope.json"))).toMatch(/^lockfile not found: /);
  });

  it("package.json out of sync: a dependency the lockfile lacks", async () => {
    const dir = await projectFrom("demo");
    const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
    manifest.dependencies["left-pad"] = "^1.3.0";
    await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
    expect(await inputError(dir)).toBe(
      "package-lock.json is out of sync with package.json: package.json declares left-pad@^1.3.0 but the lockfile has no entry for it; run your package manager's install first",
    );
  });

  it("package.json out of sync: a range the locked version does not satisfy", async () => {
    const dir = await projectFrom("lockfiles/pnpm-v9");
    const file = path.join(dir, "packages/api/package.json");
    const manifest = JSON.parse(await readFile(file, "utf8"));
    manifest.dependencies.express = "^5.0.0";
    await writeFile(file, JSON.stringify(manifest));
    expect(await inputError(dir)).toMatch(
      /packages\/api\/package\.json wants express@\^5\.0\.0 but the lockfile has 4\.18\.2/,
    );
  });

  it("project directory that does not exist", async () => {
    expect(await inputError(path.join(os.tmpdir(), "bumpwise-no-such-dir"))).toMatch(/^project directory not found: /);
  });

  it("project path that is a file", async () => {
    const dir = await projectFrom("demo");
    expect(await inputError(path.join(dir, "package.json"))).toMatch(/^not a directory: /);
  });
});
