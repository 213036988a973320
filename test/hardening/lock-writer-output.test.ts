import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();

describe("a lock writer that exits 0 without writing a lockfile", () => {
  it("is a named failure of the branch step (exit 3, one line naming the tool and the file), not an unexpected one", async () => {
    const { repo, run } = await makeNpmRepo(world);
    // npm as a broken install would leave it: it succeeds and leaves package-lock.json empty.
    const shims = await mkdtemp(path.join(os.tmpdir(), "bumpwise-shims-"));
    await writeFile(path.join(shims, "npm"), "#!/bin/sh\n: > package-lock.json\nexit 0\n");
    await chmod(path.join(shims, "npm"), 0o755);
    world.env.PATH = `${shims}:${process.env.PATH}`;
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--no-api-diff", "--out", path.join(repo, ".bumpwise"), "--branch", "deps/broken", "--apply", "all");
    expect(code, stderr).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toMatch(/^bumpwise: npm wrote no lockfile bumpwise can read \(package-lock\.json: .+\)$/);
    expect(stderr).not.toContain("unexpected failure");
    expect((await run("git", ["branch", "--format=%(refname:short)"], repo)).trim()).toBe("main");
  }, 60_000);
});
