import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";

const world = useCliWorld();
let outDir: string;
beforeEach(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-out-"));
});

const bumpwise = (...argv: string[]) => world.bumpwise(fixturesDir, ...argv);
const review = (...extra: string[]) => bumpwise("review", "demo", "--registry", world.registry.url, "--out", outDir, ...extra);
const readReport = async (): Promise<Review> => JSON.parse(await readFile(path.join(outDir, "report.json"), "utf8"));

describe("bumpwise review", () => {
  it("writes report.html, report.md and report.json for the demo project", async () => {
    const { code, stderr } = await review();
    expect(code).toBe(0);
    const report = await readReport();
    expect(report.schemaVersion).toBe(1);
    expect(report.project).toMatchObject({ lockfile: "package-lock.json", manager: "npm", ecosystem: "npm" });
    expect(report.summary).toMatchObject({ packages: 93, directPackages: 12, checked: 12, bumps: 12, errors: 0 });
    // A generated @types package has no notes anywhere: said plainly, not counted as versions missing.
    expect(report.bumps.find((b) => b.name === "@types/node")?.verdict.reason).toMatch(/^no breaking or risky change found; @types\/node has no release notes \(DefinitelyTyped publishes @types packages without any\); the type comparison is the evidence$/);
    const typebox = report.bumps.find((b) => b.name === "@sinclair/typebox");
    // The project decides: its deep import of a subpath 0.34 no longer exports, not the 0.x step.
    expect(typebox?.verdict).toMatchObject({ verdict: "breaking", strength: "fact", reason: expect.stringMatching(/^0\.34\.52 no longer exports \.\/value\/cast .*src\/schema\.ts:3/) });
    expect(typebox?.signals).toContainEqual(expect.objectContaining({ rule: "contract/zero-major", severity: "info", strength: "inferred" }));
    expect(typebox?.signals).toContainEqual(expect.objectContaining({ rule: "contract/exports-removed", severity: "breaking", strength: "fact", touches: [{ file: "src/schema.ts", line: 3 }] }));
    // Every signal says how strong its evidence is.
    expect(report.bumps.flatMap((bump) => bump.signals).filter((signal) => !signal.strength)).toEqual([]);
    expect(typebox?.declared).toEqual([{ importer: ".", range: "0.31.0", dev: false, exactPin: true, leavesRange: true }]);
    expect(typebox?.usedBy).toEqual({ files: ["src/schema.ts"], sites: expect.any(Number) });
    expect(report.project.facts).toMatchObject({ node: ">=18 (engines.node)", type: "module", language: "typescript" });
    expect(report.llm.used).toBe(false);
    // Release notes: the tarball's History.md for express, GitHub releases for commander and debug.
    const express = report.bumps.find((b) => b.name === "express");
    expect(express?.releaseNotes.missing).toEqual([]);
    expect(express?.releaseNotes.versions.map((v) => v.source)).toEqual(express?.versionsInBetween.map(() => "tarball"));
    expect(express?.releaseNotes.versions[0]).toMatchObject({ version: "4.18.3", url: expect.stringMatching(/express-4\.22\.3\.tgz#History\.md$/) });
    const commander = report.bumps.find((b) => b.name === "commander");
    expect(commander?.releaseNotes.versions).toEqual([
      expect.objectContaining({ version: "11.1.0", source: "github-release", url: "https://github.com/tj/commander.js/releases/tag/v11.1.0" }),
    ]);
    expect(commander?.verdict.verdict).toBe("safe");
    const debug = report.bumps.find((b) => b.name === "debug");
    expect(debug?.releaseNotes.versions.map((v) => v.version)).toEqual(["4.3.5", "4.3.6", "4.3.7", "4.4.0"]);
    expect(debug?.releaseNotes.missing).toEqual(["4.3.2", "4.3.3", "4.3.4", "4.4.1", "4.4.3"]);
    expect(debug?.signals.find((s) => s.analyzer === "heuristic")?.evidence).toEqual({
      quote: "Patch release: `%o` formatting of getters no longer throws.",
      version: "4.3.5",
      url: "https://github.com/debug-js/debug/releases/tag/4.3.5",
    });
    expect(report.notes.note).toMatch(/^No GITHUB_TOKEN or GH_TOKEN/);
    expect(world.github.requests.every((r) => r.authorization === undefined)).toBe(true);
    const markdown = await readFile(path.join(outDir, "report.md"), "utf8");
    expect(markdown).toMatch(/^# bumpwise report/);
    expect(markdown).toContain("| `express` | 4.18.2 → ");
    expect(markdown).toContain("| `@sinclair/typebox` | 0.31.0 → 0.34.52 (minor) | 🔴 breaking (fact) | 1 file | **lifts exact pin 0.31.0**: ");
    expect(stderr).toMatch(/^bumpwise: 12 bumps in 12 packages checked — 1 breaking, 3 risky, 3 safe, 5 unknown/);
    expect((await readdir(outDir)).sort()).toEqual(["report.html", "report.json", "report.md"]);
  });

  it("on a terminal, says how far the registry and the review have got; in a pipe, says nothing of it", async () => {
    let terminal = "";
    const argv = ["review", "demo", "--registry", world.registry.url, "--out", outDir, "--no-notes", "--no-api-diff"];
    const code = await run(argv, { stdout: { write: () => true }, stderr: { write: (text: string) => (terminal += text), isTTY: true }, cwd: fixturesDir, env: world.env });
    expect(code).toBe(0);
    expect(terminal).toContain("checking the registry: 12/12");
    expect(terminal).toContain("reviewing the bumps: 12/12");
    const piped = await review("--no-notes", "--no-api-diff");
    expect(piped.stderr).not.toMatch(/checking the registry|reviewing the bumps/);
  });

  it("--json prints the same report to stdout", async () => {
    const { code, stdout } = await review("--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(await readReport());
  });

  it.each([
    ["never", 0],
    ["breaking", 1],
    ["risky", 1],
  ])("--fail-on %s exits %i", async (level, expected) => {
    expect((await review("--fail-on", level)).code).toBe(expected);
  });

  it("--fail-on ends with the bumps that tripped it", async () => {
    const { code, stderr } = await review("--fail-on", "breaking");
    expect(code).toBe(1);
    const last = stderr.trim().split("\n").at(-1);
    expect(last).toMatch(/^--fail-on breaking: exit 1 for @sinclair\/typebox 0\.31\.0 → 0\.34\.\d+ \(breaking\)/);
    expect(last).not.toContain("(risky)");
  });

  it("without --out, each project's reports go to its own .bumpwise folder, and the run ends with report.html's full path", async () => {
    const demo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-demo-"));
    await cp(path.join(fixturesDir, "demo"), demo, { recursive: true });
    const { code, stderr } = await world.bumpwise(os.tmpdir(), "review", demo, "--registry", world.registry.url, "--no-notes", "--no-api-diff");
    expect(code).toBe(0);
    expect(stderr).toContain(`Report: ${path.join(demo, ".bumpwise", "report.html")} (open it in a browser)`);
    expect(JSON.parse(await readFile(path.join(demo, ".bumpwise", "report.json"), "utf8")).project.lockfile).toBe("package-lock.json");
  });

  it("--target patch, --include and --exclude narrow the plan", async () => {
    await review("--target", "patch", "--include", "express", "--include", "@types/*", "--exclude", "@types/node");
    const report = await readReport();
    expect(report.bumps.map((b) => `${b.name} ${b.from}→${b.to} ${b.type}`)).toEqual(["express 4.18.2→4.18.3 patch"]);
  });

  it("a warm re-run makes no registry request", async () => {
    await review("--no-api-diff");
    const first = world.registry.requests.length;
    expect(first).toBe(24); // 12 packuments and the 12 target versions' tarballs
    await review("--no-api-diff");
    expect(world.registry.requests.length).toBe(first);
    expect((await readReport()).registry).toEqual({ downloaded: 0, revalidated: 0, fromCache: 12 });
  });

  it("a warm re-run of the full review (notes, API diff and the typecheck of the project's code) asks again only for the pairs whose tarball was missing", async () => {
    await review("--api-budget", "60");
    const first = world.registry.requests.length;
    // The package of a tarball URL ("/axios/-/axios-1.21.1.tgz" → "/axios").
    const packageOf = (url: string) => url.split("/-/")[0];
    const missing = new Set(world.registry.requests.filter((request) => request.status === 404 && request.url.endsWith(".tgz")).map((request) => packageOf(request.url)));
    expect(missing.size).toBeGreaterThan(0);
    const proven = (await readReport()).bumps.filter((bump) => bump.signals.some((signal) => signal.rule.startsWith("api/proven")));
    await review("--api-budget", "60");
    // Packuments (a 404 for @types/x too), notes, API diffs and proofs come from the cache. A pair whose
    // older tarball the recorded fixtures do not have failed and is not kept: it is tried again, both of
    // its tarballs (tarballs are not kept on disk); nothing else is asked.
    const again = world.registry.requests.slice(first);
    expect(again.filter((request) => !request.url.endsWith(".tgz") || !missing.has(packageOf(request.url)))).toEqual([]);
    // The same verdicts, proofs included, from the cache.
    expect((await readReport()).bumps.filter((bump) => bump.signals.some((signal) => signal.rule.startsWith("api/proven"))).map((bump) => bump.name)).toEqual(proven.map((bump) => bump.name));
  }, 60_000);

  it("one package failing is reported for that package; the run goes on", async () => {
    world.registry.override("axios", { status: 500 });
    world.registry.override("lodash", { status: 404 });
    const { code, stderr } = await review();
    expect(code).toBe(0);
    const report = await readReport();
    expect(report.errors).toEqual([
      { package: "axios", code: "server-error", message: "the registry failed on axios (500)" },
      { package: "lodash", code: "not-found", message: "lodash is not on the registry (404)" },
    ]);
    expect(report.summary.bumps).toBe(10);
    expect(stderr).toContain("! axios: the registry failed on axios (500)");
    expect(await readFile(path.join(outDir, "report.md"), "utf8")).toContain("## Packages that could not be checked");
  });

  it("exits 3 with one line when no package could be checked", async () => {
    const { code, stderr } = await bumpwise("review", "demo", "--registry", "http://127.0.0.1:9/", "--out", outDir);
    expect(code).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toMatch(
      /^bumpwise: no package could be checked: cannot reach the registry for .* \(ECONNREFUSED\)$/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    "lockfiles/yarn-classic",
    "lockfiles/yarn-berry",
    "lockfiles/pnpm-v6",
    "lockfiles/pnpm-v9",
    "lockfiles/npm-v1",
    "lockfiles/npm-workspaces",
  ])("reviews %s", async (dir) => {
    const { code } = await bumpwise("review", dir, "--registry", world.registry.url, "--out", outDir);
    expect(code).toBe(0);
    const report = await readReport();
    expect(report.summary.errors).toBe(0);
    expect(report.bumps.find((b) => b.name === "express")).toMatchObject({ from: "4.18.2", type: "minor" });
  });
});

describe("cost follows usage (issue 26)", () => {
  it("a package no source file imports is not compared (its contract is still reviewed)", async () => {
    await review("--no-notes", "--api-budget", "60");
    const report = await readReport();
    const bump = (name: string) => report.bumps.find((candidate) => candidate.name === name);
    // prettier and typescript are tools the demo runs, not modules its code imports.
    for (const tool of ["prettier", "typescript"]) {
      expect(bump(tool)?.usedBy).toEqual({ files: [], sites: 0 });
      expect(bump(tool)?.apiDiff).toBeUndefined();
    }
    // A package the code imports is compared (here the recorded registry lacks its old tarball, and says so).
    expect(bump("axios")?.apiDiff).toMatchObject({ unavailable: expect.stringContaining("axios@1.6.0") });
  }, 60_000);

  it("a bump's API diff, started while planning, is the one the review uses: each tarball is downloaded once", async () => {
    await review("--api-budget", "60");
    const tarballs = world.registry.requests.filter((request) => request.url.endsWith(".tgz") && request.status === 200).map((request) => request.url);
    expect(tarballs.length).toBeGreaterThan(0);
    expect(tarballs.filter((url, index) => tarballs.indexOf(url) !== index)).toEqual([]);
  }, 60_000);
});

describe("usage and input errors exit 2 with one line", () => {
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    return lines[0];
  };

  it("no lockfile", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-empty-"));
    await writeFile(path.join(dir, "package.json"), "{}");
    const { code, stderr } = await bumpwise("review", dir);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^bumpwise: no lockfile in .*; make one with `npm install --package-lock-only`, or pass --lockfile PATH$/);
    await writeFile(path.join(dir, "package.json"), '{"packageManager": "pnpm@9.15.0"}');
    expect((await bumpwise("review", dir)).stderr).toContain("make one with `pnpm install --lockfile-only`");
  });

  it("a requirements .in file given as the lockfile says how to compile it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-in-"));
    await writeFile(path.join(dir, "requirements.in"), "fastapi\n");
    const { code, stderr } = await bumpwise("review", dir, "--lockfile", path.join(dir, "requirements.in"));
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("bumpwise: requirements.in is the input of a requirements compiler, not a lockfile: pin it with `uv pip compile requirements.in -o requirements.txt` (or `pip-compile requirements.in`) and review requirements.txt");
  });

  it("--branch outside git, or before the first commit, fails before the review asks the registry anything", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-nogit-"));
    await cp(path.join(fixturesDir, "demo"), dir, { recursive: true });
    const outside = await bumpwise("review", dir, "--registry", world.registry.url, "--branch");
    expect(outside.code).toBe(2);
    expect(oneLine(outside.stderr)).toBe(`bumpwise: --branch needs a git repository; ${dir} is not in one (git init, then commit the project)`);
    await execa("git", ["init", "--quiet"], { cwd: dir });
    const empty = await bumpwise("review", dir, "--registry", world.registry.url, "--verify", "npm test");
    expect(oneLine(empty.stderr)).toMatch(/^bumpwise: --verify needs a commit to build on; .* has none yet \(commit the project first\)$/);
    expect(world.registry.requests).toEqual([]);
  });

  it("corrupt lockfile", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-corrupt-"));
    await writeFile(path.join(dir, "package.json"), "{}");
    await writeFile(path.join(dir, "package-lock.json"), '{"lockfileVersion": 3, "packages": ');
    const { code, stderr } = await bumpwise("review", dir);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/package-lock\.json: not valid JSON/);
  });

  it("a bad flag value", async () => {
    const { code, stderr } = await bumpwise("review", "demo", "--target", "major");
    expect(code).toBe(2);
    expect(stderr).toMatch(/argument 'major' is invalid/);
  });

  it("an unknown option", async () => {
    const { code } = await bumpwise("review", "--frobnicate");
    expect(code).toBe(2);
  });
});

describe("help and version", () => {
  it("--help lists the review options", async () => {
    const { code, stdout } = await bumpwise("review", "--help");
    expect(code).toBe(0);
    for (const flag of [
      "--lockfile",
      "--target",
      "--all",
      "--include",
      "--exclude",
      "--min-age",
      "--out",
      "--json",
      "--fail-on",
      "--registry",
      "--offline",
      "--no-cache",
      "--concurrency",
      "--debug",
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it("--version prints the package version", async () => {
    const { code, stdout } = await bumpwise("--version");
    expect(code).toBe(0);
    const pkg = JSON.parse(await readFile(path.resolve(fixturesDir, "../package.json"), "utf8"));
    expect(stdout.trim()).toBe(pkg.version);
  });
});
