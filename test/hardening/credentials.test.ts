import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { installedTool, type PythonWorld, startPythonWorld } from "../helpers/python-repo.js";

const world = useCliWorld();
const pipCompile = installedTool("pip-compile");
const uv = installedTool("uv");
const password = "s3cret-index-pass";

let python: PythonWorld | undefined;
afterEach(() => python?.index.close());

// Every file under `dir`: its path and its content.
async function everything(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  return (await Promise.all(files.map(async (file) => `${file}\n${await readFile(file, "latin1")}`))).join("\n");
}

/**
 * A requirements.txt compiled against an index that needs a password, then a review that builds the
 * branch and opens the pull request with `--index-url https://user:PASSWORD@…`: the password reaches
 * the tool (it must, to lock) and nothing else.
 */
async function compiledProject(compile: [string, string[]]): Promise<{ repo: string; indexUrl: string }> {
  python = await startPythonWorld(world, { credentials: `user:${password}` });
  const indexUrl = python.index.url.replace("://", `://user:${password}@`);
  const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-credrepo-"));
  await writeFile(path.join(repo, "requirements.in"), "idna>=3.6\nsix>=1.15\n");
  Object.assign(world.env, { PIP_INDEX_URL: indexUrl, UV_INDEX_URL: indexUrl });
  await python.run(compile[0], compile[1], repo);
  // The user's file, as committed, carries no credential (the user compiled without emitting it).
  const committed = (await readFile(path.join(repo, "requirements.txt"), "utf8")).split("\n").filter((line) => !line.includes(password)).join("\n");
  await writeFile(path.join(repo, "requirements.txt"), committed);
  for (const variable of ["PIP_INDEX_URL", "UV_INDEX_URL"]) delete world.env[variable];
  const origin = await mkdtemp(path.join(os.tmpdir(), "bumpwise-credorigin-"));
  for (const args of [["init", "--quiet", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"], ["init", "--quiet", "--bare", origin], ["remote", "add", "origin", origin]]) await python.run("git", args, repo);
  Object.assign(world.env, { GITHUB_TOKEN: "ghp_token", GITHUB_REPOSITORY: "acme/hosts" });
  return { repo, indexUrl };
}

async function expectNoPassword(repo: string, run: { code: number; stdout: string; stderr: string }): Promise<void> {
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain("Pull request #1 opened");
  const branch = await python!.run("git", ["log", "-p", "--format=%B", "main..deps/pip"], repo);
  expect(branch).toContain("idna==3.10");
  expect(branch).not.toContain(password);
  expect(await python!.run("git", ["show", "deps/pip:requirements.txt"], repo)).not.toContain(password);
  expect(run.stdout).not.toContain(password);
  expect(run.stderr).not.toContain(password);
  expect(JSON.stringify(world.github.pulls)).not.toContain(password);
  expect(await everything(path.join(repo, ".bumpwise"))).not.toContain(password);
  expect(await everything(world.env.BUMPWISE_CACHE_DIR as string)).not.toContain(password);
}

const review = (repo: string, indexUrl: string) =>
  world.bumpwise(repo, "review", ".", "--index-url", indexUrl, "--no-github", "--llm", "off", "--json", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/pip", "--pr", "--apply", "all");

describe("no index credential on the branch, in a commit, the pull request, the output, the reports or the cache", () => {
  it.skipIf(!pipCompile)("pip-compile replayed with --index-url https://user:PASSWORD@…", async () => {
    const { repo, indexUrl } = await compiledProject(["pip-compile", ["--generate-hashes", "--output-file=requirements.txt", "--upgrade-package", "idna==3.6", "--upgrade-package", "six==1.15.0", "requirements.in"]]);
    await expectNoPassword(repo, await review(repo, indexUrl));
  }, 120_000);

  it.skipIf(!uv)("uv pip compile --emit-index-url replayed with --index-url https://user:PASSWORD@…", async () => {
    const { repo, indexUrl } = await compiledProject(["uv", ["pip", "compile", "--emit-index-url", "requirements.in", "-o", "requirements.txt", "-P", "idna==3.6", "-P", "six==1.15.0"]]);
    await expectNoPassword(repo, await review(repo, indexUrl));
  }, 120_000);
});

describe("a URL named in a message is shown without its userinfo", () => {
  it.each([["--index-url"], ["--registry"]])("%s with an unsupported scheme: a usage error that does not echo the password", async (flag) => {
    const { code, stderr } = await world.bumpwise(os.tmpdir(), "review", ".", flag, `ftp://user:${password}@mirror.internal/simple`);
    expect(code).toBe(2);
    expect(stderr).toContain(flag);
    expect(stderr).not.toContain(password);
  });
});

describe("the branch refuses to commit a credential the run was given, whatever wrote it", () => {
  it("a lock writer that writes the index password into the lockfile: no commit, no branch, one line naming the file", async () => {
    const { createUpgradeBranch } = await import("../../src/upgrade/branch.js");
    const { runCommand } = await import("../../src/exec.js");
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-secretrepo-"));
    await writeFile(path.join(repo, "requirements.txt"), "idna==3.6\n");
    const env = { PATH: process.env.PATH, HOME: os.tmpdir() };
    const git = (...args: string[]) => runCommand("git", args, { cwd: repo, env });
    for (const args of [["init", "--quiet", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"]]) await git(...args);
    const inventory = (version: string) => ({ ecosystem: "pypi" as const, manager: "pip" as const, lockfilePath: path.join(repo, "requirements.txt"), packages: [{ name: "idna", version, direct: true, dev: false, importers: ["."] }] });
    let locked = "3.6";
    const writer = {
      tool: "leaky",
      description: "test",
      async pin() {},
      async relock(dir: string) {
        locked = "3.10";
        await writeFile(path.join(dir, "requirements.txt"), `--index-url https://user:${password}@index.internal/simple\nidna==3.10\n`);
      },
      readInventory: async () => inventory(locked),
      install: async () => ({}),
    };
    const bump = {
      name: "idna", from: "3.6", to: "3.10", type: "minor" as const, direct: true, dev: false, importers: ["."], versionsInBetween: ["3.10"],
      releaseNotes: { versions: [], missing: [] }, notesSources: [], signals: [], edits: [],
      verdict: { verdict: "unknown" as const, confidence: 0, affectsYou: null, reason: "", strength: "inferred" as const },
    };
    const made = createUpgradeBranch({ projectDir: repo, lockfilePath: path.join(repo, "requirements.txt"), writer, branch: "deps/leak", force: false, apply: "all", bumps: [bump], env, secrets: [password] }, runCommand);
    await expect(made).rejects.toThrow("the upgrade branch was not made: requirements.txt would carry a credential this run was given; nothing was committed");
    expect((await git("branch", "--format=%(refname:short)")).stdout.trim()).toBe("main");
  });
});
