import { semverVersioning } from "../../src/ecosystems/npm/versioning.js";
import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planBump } from "../../src/plan/index.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";
import { listenOnLoopback } from "../helpers/listen.js";

const world = useCliWorld();

async function demoCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-hardening-"));
  await cp(path.join(fixturesDir, "demo"), dir, { recursive: true });
  return dir;
}

const oneLine = (stderr: string) => {
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe("bad input is one line and the right exit code", () => {
  it("a registry that answers garbage for every package: nothing could be checked, exit 3", async () => {
    const garbage = await listenOnLoopback(createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end("<html>not a packument</html>")));
    try {
      const dir = await demoCopy();
      const { code, stderr } = await world.bumpwise(dir, "review", ".", "--registry", garbage.origin, "--no-notes", "--no-api-diff", "--out", path.join(dir, "out"));
      expect(code).toBe(3);
      expect(stderr.trim().split("\n").at(-1)).toMatch(/^bumpwise: no package could be checked: /);
    } finally {
      await garbage.close();
    }
  });

  it.each([
    [["--registry", "mirror.internal"], /--registry.*expected an http\(s\) URL such as https:\/\/mirror\.internal/],
    [["--llm-timeout", "99999999"], /--llm-timeout.*expected at most 3600 seconds/],
  ])("%s is a usage error (exit 2)", async (flags, message) => {
    const { code, stderr } = await world.bumpwise(fixturesDir, "review", "demo", ...flags);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it.each([
    ["null", "is not a package.json object"],
    ['{ "name": "x", "workspaces": [1] }', '"workspaces" must be a list of folder patterns'],
  ])("package.json %s is an input error naming the file", async (content, message) => {
    const dir = await demoCopy();
    await writeFile(path.join(dir, "package.json"), content);
    const { code, stderr } = await world.bumpwise(dir, "review", ".", "--registry", world.registry.url);
    expect(code).toBe(2);
    oneLine(stderr);
    expect(stderr).toContain(`${path.join(dir, "package.json")}`);
    expect(stderr).toContain(message);
  });

  it("a pnpm-workspace.yaml that is not YAML is an input error", async () => {
    const dir = await demoCopy();
    await writeFile(path.join(dir, "pnpm-workspace.yaml"), "packages: [unclosed\n  - : :");
    const { code, stderr } = await world.bumpwise(dir, "review", ".", "--registry", world.registry.url);
    expect(code).toBe(2);
    oneLine(stderr);
    expect(stderr).toContain("pnpm-workspace.yaml is not valid YAML");
  });
});

describe("--min-age with a publish date that cannot be read", () => {
  it("holds the version back and says why, instead of letting it through", () => {
    const history = { versions: { "1.0.0": { version: "1.0.0" }, "1.1.0": { version: "1.1.0" } }, time: { "1.1.0": "@octocat <img>" } };
    const result = planBump({ name: "pkg", version: "1.0.0", direct: true, dev: false, importers: ["."] }, history as never, { target: "minor", minAgeDays: 7, now: new Date("2026-12-02"), all: false, include: [], exclude: [] }, semverVersioning);
    expect(result).toEqual({ heldBack: { name: "pkg", from: "1.0.0", newest: "1.1.0", reason: "1.1.0 has a publish date that cannot be read, so --min-age 7 cannot be checked" } });
  });
});
