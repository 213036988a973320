import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";

const world = useCliWorld();
const secret = "API_TOKEN=hunter2-not-a-requirement";

async function project(requirements: string): Promise<{ dir: string; outside: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-includes-"));
  const outside = await mkdtemp(path.join(os.tmpdir(), "bumpwise-outside-"));
  await writeFile(path.join(outside, "secrets.txt"), `${secret}\n`);
  await writeFile(path.join(dir, "requirements.txt"), requirements);
  return { dir, outside };
}

async function review(dir: string) {
  const { code, stderr } = await world.bumpwise(dir, "review", ".", "--no-notes", "--llm", "off", "--index-url", "http://127.0.0.1:9/simple", "--out", path.join(dir, "out"));
  expect(code).toBe(2);
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toContain("hunter2");
  expect(stderr).not.toMatch(/\bPATH=|HOME=/);
  return stderr.trim();
}

describe("-r and -c includes are regular files inside the project; an error never quotes what is not a requirement", () => {
  it("an include that is a symbolic link to /proc/self/environ is refused in one line, nothing quoted", async () => {
    const { dir } = await project("idna==3.6\n-r env.txt\n");
    await symlink("/proc/self/environ", path.join(dir, "env.txt"));
    expect(await review(dir)).toBe("bumpwise: requirements.txt line 2: the include env.txt was refused: it is a symbolic link");
  });

  it("a symbolic link to a file outside, as -c too", async () => {
    const { dir, outside } = await project("idna==3.6\n-c constraints.txt\n");
    await symlink(path.join(outside, "secrets.txt"), path.join(dir, "constraints.txt"));
    expect(await review(dir)).toBe("bumpwise: requirements.txt line 2: the include constraints.txt was refused: it is a symbolic link");
  });

  it("an include reached through a linked folder", async () => {
    const { dir, outside } = await project("idna==3.6\n-r linked/secrets.txt\n");
    await symlink(outside, path.join(dir, "linked"));
    expect(await review(dir)).toBe("bumpwise: requirements.txt line 2: the include linked/secrets.txt was refused: it resolves outside the project through a linked folder");
  });

  it("a regular included file whose line is not a requirement: named by file and line, not quoted", async () => {
    const { dir } = await project("idna==3.6\n-r more/extra.txt\n");
    await mkdir(path.join(dir, "more"));
    await writeFile(path.join(dir, "more/extra.txt"), `six==1.15.0\n${secret}\n`);
    expect(await review(dir)).toBe("bumpwise: more/extra.txt line 2: not a requirement, an option or an include pip reads");
  });
});
