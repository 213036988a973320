import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { installedTool, type PythonWorld, startPythonWorld, uvLockOld, uvPyproject } from "../helpers/python-repo.js";

const world = useCliWorld();
const uv = installedTool("uv");
const poetry = installedTool("poetry");
const pipCompile = installedTool("pip-compile");
const pipenv = installedTool("pipenv");

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
});

describe(`review --branch without the project's tool${uv ? "" : " (skipped: uv is not on PATH; pip install uv)"}`, () => {
  it.skipIf(!uv)("stops with exit 3 and one line naming the tool and how to install it; no branch, no worktree left", async () => {
    repo = await python.repo(new Map([["pyproject.toml", uvPyproject]]), [uvLockOld]);
    // A PATH with git and nothing else.
    const onlyGit = await mkdtemp(path.join(os.tmpdir(), "bumpwise-path-"));
    await symlink(execFileSync("which", ["git"], { encoding: "utf8" }).trim(), path.join(onlyGit, "git"));
    world.env.PATH = onlyGit;
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/python", "--apply", "all");
    expect(code).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toBe("bumpwise: the upgrade branch was not made: uv is not installed (not found on PATH); it is needed to regenerate uv.lock: pip install uv (or see https://docs.astral.sh/uv/getting-started/installation/)");
    expect((await run("git", ["branch", "--format=%(refname:short)"])).trim()).toBe("main");
    expect((await run("git", ["worktree", "list"])).trim().split("\n")).toHaveLength(1);
  });
});

describe(`review --pr on a uv project${uv ? "" : " (skipped: uv is not on PATH; pip install uv)"}`, () => {
  it.skipIf(!uv)("pushes the branch and opens one pull request, then updates it on the next run", async () => {
    repo = await python.repo(new Map([["pyproject.toml", uvPyproject]]), [uvLockOld]);
    const origin = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyorigin-"));
    await run("git", ["init", "--quiet", "--bare", origin]);
    await run("git", ["remote", "add", "origin", origin]);
    Object.assign(world.env, { GITHUB_TOKEN: "ghp_secret_token", GITHUB_REPOSITORY: "acme/hosts" });
    const review = (...extra: string[]) => world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "bumpwise/python", "--pr", "--apply", "all", ...extra);
    const first = await review();
    expect(first.stderr).toContain("Pull request #1 opened: https://github.com/acme/hosts/pull/1");
    const second = await review("--force");
    expect(second.stderr).toContain("Pull request #1 updated");
    expect(world.github.pulls).toHaveLength(1);
    expect(world.github.pulls[0]).toMatchObject({ head: "bumpwise/python", base: "main", title: "Upgrade 2 dependencies" });
    expect(world.github.pulls[0]?.body).toMatch(/^# bumpwise report/);
    // uv moved nothing else for these two: the section is left out.
    expect(world.github.pulls[0]?.body).not.toContain("Also moved by the resolver");
    expect(await run("git", ["--git-dir", origin, "show", "bumpwise/python:pyproject.toml"])).toContain('"six==1.17.0",');
  }, 60_000);
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
    // pip-compile's own check on the branch: a dry run would write the same pins and hashes.
    const worktree = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pipcheck-"));
    await run("git", ["worktree", "add", "--quiet", worktree, "deps/pip"]);
    const dryRun = await execa("pip-compile", ["--dry-run", "--generate-hashes", "--output-file=requirements.txt", "requirements.in"], { cwd: worktree, env: world.env, extendEnv: false });
    const pins = (text: string) => text.split("\n").filter((line) => /^\S+==|--hash=/.test(line.trim())).map((line) => line.trim());
    expect(pins(dryRun.stderr)).toEqual(pins(compiled));
    expect(dryRun.stderr).toContain("Dry-run, so nothing updated");
    await run("git", ["worktree", "remove", "--force", worktree]);
    expect(await run("git", ["status", "--porcelain"])).toBe("");
  }, 120_000);
});

describe(`review --branch on a pipenv project${pipenv ? "" : " (skipped: pipenv is not on PATH; pip install pipenv)"}`, () => {
  it.skipIf(!pipenv)("pins one line per package in the Pipfile, pipenv upgrade --lock-only per category, and pipenv verify passes on the branch", async () => {
    Object.assign(world.env, { WORKON_HOME: await mkdtemp(path.join(os.tmpdir(), "bumpwise-workon-")), PIPENV_VERBOSITY: "-1" });
    const pipfile = `[[source]]\nurl = "${python.index.url}"\nverify_ssl = true\nname = "fake"\n\n[packages]\nidna = "==3.6"  # host names\n\n[dev-packages]\nsix = "==1.15.0"\n\n[requires]\npython_version = "3.11"\n`;
    repo = await python.repo(new Map([["Pipfile", pipfile]]), [["pipenv", ["lock"]]]);
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/pipenv", "--apply", "all");
    expect(code, stderr).toBe(0);
    const diff = await run("git", ["diff", "main", "deps/pipenv", "--", "Pipfile"]);
    expect(diff.split("\n").filter((line) => /^[-+][a-z]/.test(line))).toEqual(['-idna = "==3.6"  # host names', '+idna = "==3.10"  # host names', '-six = "==1.15.0"', '+six = "==1.17.0"']);
    const lock = JSON.parse(await run("git", ["show", "deps/pipenv:Pipfile.lock"]));
    expect(lock.default.idna.version).toBe("==3.10");
    expect(lock.develop.six.version).toBe("==1.17.0");
    const worktree = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pipenvcheck-"));
    await run("git", ["worktree", "add", "--quiet", worktree, "deps/pipenv"]);
    expect(await run("pipenv", ["verify"], worktree)).toContain("up-to-date");
    await run("git", ["worktree", "remove", "--force", worktree]);
    expect(await run("git", ["status", "--porcelain"])).toBe("");
  }, 120_000);
});

describe("review --branch on a hand-pinned requirements file", () => {
  it("rewrites only the pins and their --hash lines (the index's digests), and pip accepts the hashes on the branch", async () => {
    // Hashes as a user writes them: pip downloads the old releases and `pip hash` digests them.
    const downloads = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pipdl-"));
    await python.run("python3", ["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:", "-d", downloads, "idna==3.6", "six==1.15.0"], downloads);
    const hash = async (file: string) => (await python.run("python3", ["-m", "pip", "hash", path.join(downloads, file)], downloads)).split("\n")[1]?.trim();
    const requirements = `# the service's dependencies\nidna==3.6 \\\n    ${await hash("idna-3.6-py3-none-any.whl")}  # host names\nsix==1.15.0 ${await hash("six-1.15.0-py2.py3-none-any.whl")}\n`;
    repo = await python.repo(new Map([["requirements.txt", requirements]]));
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--no-github", "--llm", "off", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/pinned", "--apply", "all");
    expect(code, stderr).toBe(0);
    const branch = await run("git", ["show", "deps/pinned:requirements.txt"]);
    expect(branch).toMatch(/^# the service's dependencies\nidna==3\.10 \\\n {4}--hash=sha256:[0-9a-f]{64} {2}# host names\nsix==1\.17\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}$/);
    // pip's own check: it downloads the new releases and accepts them only if every hash matches.
    const checked = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pipcheck-"));
    await writeFile(path.join(checked, "requirements.txt"), branch);
    await python.run("python3", ["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:", "-d", checked, "-r", "requirements.txt"], checked);
    expect(await run("git", ["status", "--porcelain"])).toBe("");
  }, 60_000);
});
