import { mkdtemp, readFile, rename, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { pythonLockWriter } from "../../src/ecosystems/pypi/lock-writers/index.js";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo, type NpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();

// The file moved outside the project, and a tracked symbolic link to it left in its place.
async function linkOutside(dir: string, file: string): Promise<string> {
  const outside = path.join(await mkdtemp(path.join(os.tmpdir(), "bumpwise-outside-")), file);
  await rename(path.join(dir, file), outside);
  await symlink(outside, path.join(dir, file));
  return outside;
}

describe("every write the branch makes goes through one guard: regular files inside the project", () => {
  let npm: NpmRepo;
  beforeEach(async () => {
    npm = await makeNpmRepo(world);
  });

  it.each([
    ["package.json", "bumpwise: the pin in package.json was refused: it is a symbolic link"],
    ["package-lock.json", "bumpwise: regenerating package-lock.json was refused: it is a symbolic link"],
  ])("a tracked symlink %s is not written through: exit 3, the file outside unchanged, no branch", async (file, line) => {
    const outside = await linkOutside(npm.repo, file);
    await npm.run("git", ["add", "-A"], npm.repo);
    await npm.run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "linked"], npm.repo);
    const before = await readFile(outside, "utf8");
    const { code, stderr } = await world.bumpwise(npm.repo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "off", "--out", path.join(npm.repo, ".bumpwise"), "--branch", "deps/up", "--apply", "all");
    expect(code).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toBe(line);
    expect(await readFile(outside, "utf8")).toBe(before);
    expect((await npm.run("git", ["branch", "--format=%(refname:short)"], npm.repo)).trim()).toBe("main");
  });
});

describe("Python pins refuse a symlinked manifest", () => {
  const targets = new Map([["idna", "3.10"]]);
  const project = async (file: string, text: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pins-"));
    await writeFile(path.join(dir, file), text);
    return { dir, outside: await linkOutside(dir, file) };
  };

  it.each([
    ["uv", "pyproject.toml", '[project]\nname = "a"\nversion = "1"\ndependencies = ["idna>=3.6"]\n'],
    ["poetry", "pyproject.toml", '[tool.poetry.dependencies]\nidna = "^3.6"\n'],
    ["pipenv", "Pipfile", '[packages]\nidna = "==3.6"\n'],
  ] as const)("%s: the pin in %s", async (manager, file, text) => {
    const { dir, outside } = await project(file, text);
    await expect(pythonLockWriter(manager, "").pin(dir, targets)).rejects.toThrow(`the pin in ${file} was refused: it is a symbolic link`);
    expect(await readFile(outside, "utf8")).toBe(text);
  });

  it("a hand-pinned requirements.txt", async () => {
    const text = "idna==3.6\n";
    const { dir, outside } = await project("requirements.txt", text);
    const writer = pythonLockWriter("pip", text);
    await expect(writer.relock(dir, targets, async () => ({ stdout: "" }), {}, path.join(dir, "requirements.txt"))).rejects.toThrow("the pin in requirements.txt was refused: it is a symbolic link");
    expect(await readFile(outside, "utf8")).toBe(text);
  });
});
