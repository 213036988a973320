import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { installedTool, type PythonWorld, startPythonWorld, uvLockOld, uvPyproject } from "../helpers/python-repo.js";

const world = useCliWorld();
const uv = installedTool("uv");
const poetry = installedTool("poetry");
const pipCompile = installedTool("pip-compile");

let python: PythonWorld;
let repo: string;
const run = (command: string, args: string[], cwd = repo) => python.run(command, args, cwd);

beforeEach(async () => {
  python = await startPythonWorld(world);
});
afterEach(() => python.index.close());

describe(`review --branch on a uv project${uv ? "" : " (skipped: uv is not on PATH; pip install uv)"}`, () => {
  it.skipIf(!uv)("pins one line per package in pyproject.toml, regenerates uv.lock with uv, and uv accepts it; the checkout is untouched", async () => {
    repo = await python.repo(new Map([["pyproject.toml", uvPyproject]]), [uvLockOld]);
    const before = `${await readFile(path.join(repo, "pyproject.toml"), "utf8")}${await readFile(path.join(repo, "uv.lock"), "utf8")}${await run("git", ["status", "--porcelain"])}`;
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/python", "--apply", "all");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("Branch deps/python: 1 commit(s), 2 upgrade(s)");
    const diff = await run("git", ["diff", "main", "deps/python", "--", "pyproject.toml"]);
    expect(diff.split("\n").filter((line) => /^[-+] /.test(line))).toEqual(['-    "idna>=3.6",  # host names', '-    "six>=1.15",', '+    "idna==3.10",  # host names', '+    "six==1.17.0",']);
    const lock = await run("git", ["show", "deps/python:uv.lock"]);
    expect(lock).toMatch(/name = "idna"\nversion = "3\.10"/);
    expect(lock).toMatch(/name = "six"\nversion = "1\.17\.0"/);
    // uv's own check on the branch: the lock is in sync with the pinned pyproject.
    const worktree = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pycheck-"));
    await run("git", ["worktree", "add", "--quiet", worktree, "deps/python"]);
    await run("uv", ["lock", "--check"], worktree);
    await run("git", ["worktree", "remove", "--force", worktree]);
    expect(`${await readFile(path.join(repo, "pyproject.toml"), "utf8")}${await readFile(path.join(repo, "uv.lock"), "utf8")}${await run("git", ["status", "--porcelain"])}`).toBe(before);
  }, 60_000);

  it("a Pipfile project stops before the review with one line: its lockfile is not written yet", async () => {
    const pipenv = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pipenv-"));
    await run("cp", [path.join(import.meta.dirname, "../../fixtures/lockfiles/py-pipenv/Pipfile"), path.join(import.meta.dirname, "../../fixtures/lockfiles/py-pipenv/Pipfile.lock"), pipenv], pipenv);
    const { code, stderr } = await world.bumpwise(pipenv, "review", ".", "--branch", "deps");
    expect(code).toBe(2);
    expect(stderr).toBe("bumpwise: --branch, --pr and --verify write uv.lock, poetry.lock and pip-compile output for Python projects; pipenv lockfiles are not written yet: review without them\n");
  });
});

describe(`review --branch on a Poetry project${poetry ? "" : " (skipped: poetry is not on PATH; pip install poetry)"}`, () => {
  // Locked by the real Poetry against the fake index (its primary source), at the older versions.
  async function poetryProject(): Promise<void> {
    repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-poetryrepo-"));
    const manifest = (idna: string, six: string) => `[tool.poetry]\nname = "hosts"\nversion = "1.0.0"\ndescription = ""\nauthors = ["t <t@example.com>"]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.10"\nidna = "${idna}"  # host names\nsix = "${six}"\n\n[[tool.poetry.source]]\nname = "fake"\nurl = "${python.index.url}/"\npriority = "primary"\n`;
    await writeFile(path.join(repo, "pyproject.toml"), manifest("3.6", "1.15.0"));
    await run("poetry", ["lock", "--no-interaction"]);
    // Relaxed to ranges; Poetry 2 keeps the locked versions.
    await writeFile(path.join(repo, "pyproject.toml"), manifest("^3.6", "^1.15"));
    await run("poetry", ["lock", "--no-interaction"]);
    await run("git", ["init", "--quiet", "-b", "main"]);
    await run("git", ["add", "-A"]);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"]);
  }

  it.skipIf(!poetry)("pins one line per package, regenerates poetry.lock with Poetry, and poetry check --lock passes on the branch", async () => {
    Object.assign(world.env, { POETRY_VIRTUALENVS_CREATE: "false" });
    await poetryProject();
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/poetry", "--apply", "all");
    expect(code, stderr).toBe(0);
    const diff = await run("git", ["diff", "main", "deps/poetry", "--", "pyproject.toml"]);
    expect(diff.split("\n").filter((line) => /^[-+][a-z]/.test(line))).toEqual(['-idna = "^3.6"  # host names', '-six = "^1.15"', '+idna = "3.10"  # host names', '+six = "1.17.0"']);
    const lock = await run("git", ["show", "deps/poetry:poetry.lock"]);
    expect(lock).toMatch(/name = "idna"\nversion = "3\.10"/);
    expect(lock).toMatch(/name = "six"\nversion = "1\.17\.0"/);
    const worktree = await mkdtemp(path.join(os.tmpdir(), "bumpwise-poetrycheck-"));
    await run("git", ["worktree", "add", "--quiet", worktree, "deps/poetry"]);
    await run("poetry", ["check", "--lock"], worktree);
    await run("git", ["worktree", "remove", "--force", worktree]);
    expect(await run("git", ["status", "--porcelain"])).toBe("");
  }, 120_000);
});

describe(`review --branch on a pip-compile project${pipCompile ? "" : " (skipped: pip-compile is not on PATH; pip install pip-tools)"}`, () => {
  it.skipIf(!pipCompile)("replays the header's command with --upgrade-package: hashes regenerated, the .in file untouched", async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-piprepo-"));
    await writeFile(path.join(repo, "requirements.in"), "idna>=3.6  # host names\nsix>=1.15\n");
    await run("pip-compile", ["--generate-hashes", "--output-file=requirements.txt", "--upgrade-package", "idna==3.6", "--upgrade-package", "six==1.15.0", "requirements.in"]);
    await run("git", ["init", "--quiet", "-b", "main"]);
    await run("git", ["add", "-A"]);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"]);
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/pip", "--apply", "all");
    expect(code, stderr).toBe(0);
    expect(await run("git", ["diff", "--stat", "main", "deps/pip", "--", "requirements.in"])).toBe("");
    const compiled = await run("git", ["show", "deps/pip:requirements.txt"]);
    expect(compiled).toMatch(/^idna==3\.10 \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
    expect(compiled).toMatch(/^six==1\.17\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
    expect(compiled).toContain("#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in");
    expect(await run("git", ["status", "--porcelain"])).toBe("");
  }, 120_000);
});
