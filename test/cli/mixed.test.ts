import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";
import { useFakeIndex } from "../helpers/fake-pypi.js";

const world = useCliWorld();
let dir: string;
// A fresh local index for every test (UV_INDEX_URL).
useFakeIndex(world);
beforeEach(async () => {
  // A web front end's package-lock.json beside a Python API's uv.lock, in one folder.
  dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-mixed-"));
  for (const file of ["package.json", "package-lock.json"]) await cp(path.join(fixturesDir, "demo", file), path.join(dir, file));
  for (const file of ["pyproject.toml", "uv.lock"]) await cp(path.join(fixturesDir, "demo-python", file), path.join(dir, file));
});

describe("a folder with npm and Python lockfiles", () => {
  it("reviews both into one report: every bump marked with its ecosystem, the counts added up, each lockfile listed", async () => {
    const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
    const { code, stderr } = await world.bumpwise(dir, "review", "--registry", world.registry.url, "--no-github", "--no-api-diff", "--llm", "off", "--out", out);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
    expect(report.project.parts?.map((part) => `${part.ecosystem} ${part.lockfile} ${part.manager}`)).toEqual(["npm package-lock.json npm", "pypi uv.lock uv"]);
    const ecosystems = new Set(report.bumps.map((bump) => bump.ecosystem));
    expect(ecosystems).toEqual(new Set(["npm", "pypi"]));
    expect(report.bumps.find((bump) => bump.name === "fastapi")?.ecosystem).toBe("pypi");
    expect(report.bumps.find((bump) => bump.name === "express")?.ecosystem).toBe("npm");
    expect(report.summary.bumps).toBe(report.bumps.length);
    expect(report.summary.breaking + report.summary.risky + report.summary.safe + report.summary.unknown).toBe(report.bumps.length);
    expect(stderr).toMatch(/^ {2}. \w+ +pypi: fastapi 0\.65\.1 → /m);
    const markdown = await readFile(path.join(out, "report.md"), "utf8");
    expect(markdown).toContain("in `package-lock.json` (npm) and `uv.lock` (uv)");
    expect(markdown).toContain("| `fastapi` (pypi) |");
  });

  it("--branch, --verify, --base and --comment work on one ecosystem: asked to pick, before anything runs", async () => {
    const { code, stderr } = await world.bumpwise(dir, "review", "--registry", world.registry.url, "--base", "HEAD~1");
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`bumpwise: ${dir} has lockfiles of 2 ecosystems; --branch, --verify, --base and --comment work on one: pass --ecosystem npm or --ecosystem pypi`);
    expect(world.registry.requests).toEqual([]);
  });
});
