import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { create } from "tar";
import { describe, expect, it } from "vitest";
import { NeedsBuild } from "../../src/ecosystems/lock-writer.js";
import { compileCommand } from "../../src/ecosystems/pypi/lock-writers/compile.js";
import { toolEnv } from "../../src/ecosystems/pypi/lock-writers/environment.js";
import { pythonLockWriter } from "../../src/ecosystems/pypi/lock-writers/index.js";
import { CommandFailed } from "../../src/exec.js";
import { useCliWorld } from "../helpers/cli.js";
import { installedTool, usePythonWorld, uvLockOld, uvPyproject } from "../helpers/python-repo.js";

const world = useCliWorld();
const uv = installedTool("uv");
const python = usePythonWorld(world);


/**
 * six 1.17.0 published as an sdist only, whose metadata only its in-tree build backend gives (no
 * static [project] table, PKG-INFO 2.1): a backend that leaves a marker file when it runs.
 */
async function sdistOnlySix(marker: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-sdist-"));
  const root = path.join(dir, "six-1.17.0");
  await mkdir(root);
  await writeFile(path.join(root, "PKG-INFO"), "Metadata-Version: 2.1\nName: six\nVersion: 1.17.0\n");
  await writeFile(path.join(root, "pyproject.toml"), '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n');
  await writeFile(path.join(root, "backend.py"), [
    "import os",
    `MARKER = ${JSON.stringify(marker)}`,
    "def _ran():",
    "    open(MARKER, 'w').write('the build backend of six ran')",
    "def get_requires_for_build_wheel(config_settings=None):",
    "    _ran()",
    "    return []",
    "def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):",
    "    _ran()",
    "    info = os.path.join(metadata_directory, 'six-1.17.0.dist-info')",
    "    os.makedirs(info)",
    "    open(os.path.join(info, 'METADATA'), 'w').write('Metadata-Version: 2.1\\nName: six\\nVersion: 1.17.0\\n')",
    "    return 'six-1.17.0.dist-info'",
    "def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):",
    "    _ran()",
    "    raise RuntimeError('not built in this test')",
    "",
  ].join("\n"));
  const file = path.join(dir, "six-1.17.0.tar.gz");
  await create({ gzip: true, cwd: dir, file, portable: true }, ["six-1.17.0"]);
  return readFile(file);
}

async function uvProjectWithSdistOnlySix(): Promise<{ repo: string; marker: string }> {
  const repo = await python.repo(new Map([["pyproject.toml", uvPyproject]]), [uvLockOld]);
  const marker = path.join(await mkdtemp(path.join(os.tmpdir(), "bumpwise-marker-")), "ran");
  const recorded = JSON.parse(await readFile(path.join(import.meta.dirname, "../../fixtures/pypi/simple/six.json"), "utf8"));
  const simple = {
    ...recorded,
    files: [...recorded.files.filter((file: { filename: string }) => file.filename.startsWith("six-1.15.0")), { filename: "six-1.17.0.tar.gz", url: "/files/six-1.17.0.tar.gz", yanked: false, "upload-time": "2024-12-04T17:35:26Z", hashes: {} }],
  };
  python.index.override("/simple/six/", { status: 200, body: JSON.stringify(simple), contentType: "application/vnd.pypi.simple.v1+json" });
  python.index.override("/files/six-1.17.0.tar.gz", { status: 200, body: await sdistOnlySix(marker), contentType: "application/octet-stream" });
  return { repo, marker };
}

const review = (repo: string, ...extra: string[]) =>
  world.bumpwise(repo, "review", ".", "--no-notes", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/python", "--apply", "all", ...extra);

describe(`no package code runs during --branch${uv ? "" : " (skipped: uv is not on PATH; pip install uv)"}`, () => {
  it.skipIf(!uv)("a bump to an sdist-only release is left off the branch with its reason, the rest is locked, and its build backend never runs", async () => {
    const { repo, marker } = await uvProjectWithSdistOnlySix();
    const { code, stderr } = await review(repo);
    expect(code, stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(stderr).toContain("  not on the branch: six (not locked: needs a build (sdist only))");
    expect(stderr).toContain("Branch deps/python: 1 commit(s), 1 upgrade(s)");
    const pyproject = await python.run("git", ["show", "deps/python:pyproject.toml"], repo);
    expect(pyproject).toContain('"idna>=3.10",  # host names');
    expect(pyproject).toContain('"six>=1.15",');
    expect(await python.run("git", ["show", "deps/python:uv.lock"], repo)).toMatch(/name = "six"\nversion = "1\.15\.0"/);
  }, 120_000);

  it.skipIf(!uv)("with --allow-builds the user lets the build backend run, and the commit says a build was needed", async () => {
    const { repo, marker } = await uvProjectWithSdistOnlySix();
    const { code, stderr } = await review(repo, "--allow-builds");
    expect(code, stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(stderr).toContain("Branch deps/python: 1 commit(s), 2 upgrade(s)");
    expect(stderr).toContain("uv built a source distribution to read its metadata");
  }, 120_000);
});

describe("each tool is told not to build, and a failure that needs a build is never retried with one", () => {
  const targets = new Map([["six", "1.17.0"], ["idna", "3.10"]]);

  it("uv lock --no-build failing on a build is NeedsBuild for the target it names; uv is not run again without --no-build", async () => {
    const calls: string[][] = [];
    const exec = async (command: string, args: string[]) => {
      calls.push([command, ...args]);
      throw new CommandFailed("uv lock", 2, "× Failed to build `six==1.17.0`\n╰─▶ Building source distributions for `six` is disabled", false);
    };
    const error = await pythonLockWriter("uv", "").relock("/nonexistent", targets, exec, {}, "/nonexistent/uv.lock").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeedsBuild);
    expect((error as NeedsBuild).names).toEqual(["six"]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain("--no-build");
  });

  it("uv pip compile is replayed with --no-build; pip-compile and pipenv run with PIP_ONLY_BINARY=:all:; --allow-builds lifts both", () => {
    expect(compileCommand("#    uv pip compile requirements.in -o requirements.txt\n")?.args).toEqual(["pip", "compile", "--no-build", "requirements.in", "-o", "requirements.txt"]);
    expect(compileCommand("#    uv pip compile requirements.in -o requirements.txt\n", true)?.args).toEqual(["pip", "compile", "requirements.in", "-o", "requirements.txt"]);
    expect(toolEnv({}, { offline: false }).PIP_ONLY_BINARY).toBe(":all:");
    expect(toolEnv({}, { offline: false, allowBuilds: true }).PIP_ONLY_BINARY).toBeUndefined();
  });

  it("Poetry has no switch against building while locking: a target the index has no wheel of is refused before poetry runs", async () => {
    const calls: string[] = [];
    const writer = pythonLockWriter("poetry", "", { offline: false, hasWheel: async (name) => name !== "six" });
    const error = await writer.relock("/nonexistent", targets, async (command) => (calls.push(command), { stdout: "" }), {}, "/nonexistent/poetry.lock").catch((caught: unknown) => caught);
    expect((error as NeedsBuild).names).toEqual(["six"]);
    expect(calls).toEqual([]);
  });
});
