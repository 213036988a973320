import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeEach, describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";

const world = useCliWorld();
let root: string;

// An npm workspace written by npm itself against the fake registry: packages/api declares uuid,
// packages/web declares uuid and dayjs; api's code also imports dayjs without declaring it.
beforeEach(async () => {
  Object.assign(world.env, { PATH: process.env.PATH, npm_config_registry: world.registry.url, npm_config_cache: await mkdtemp(path.join(os.tmpdir(), "bumpwise-npm-cache-")) });
  root = await mkdtemp(path.join(os.tmpdir(), "bumpwise-workspaces-"));
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };
  await write("package.json", JSON.stringify({ name: "mono", private: true, workspaces: ["packages/*"] }, null, 2));
  await write("packages/api/package.json", JSON.stringify({ name: "api", version: "1.0.0", dependencies: { uuid: "~9.0.0" } }, null, 2));
  await write("packages/web/package.json", JSON.stringify({ name: "web", version: "1.0.0", dependencies: { uuid: "~9.0.0", dayjs: "~1.11.0" } }, null, 2));
  await write("packages/api/src/index.js", 'const { v4 } = require("uuid");\nconst dayjs = require("dayjs");\nmodule.exports = () => [v4(), dayjs().format()];\n');
  await write("packages/web/src/main.js", 'import { v4 } from "uuid";\nimport dayjs from "dayjs";\nexport const id = () => `${v4()} ${dayjs().year()}`;\n');
  await execa("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "uuid@9.0.0", "dayjs@1.11.0", "-w", "web"], { cwd: root, env: world.env, extendEnv: false });
  await execa("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "uuid@9.0.0", "-w", "api"], { cwd: root, env: world.env, extendEnv: false });
});

async function review(cwd: string, ...flags: string[]): Promise<{ code: number; stderr: string; report?: Review }> {
  const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
  const { code, stderr } = await world.bumpwise(cwd, "review", "--registry", world.registry.url, "--no-notes", "--no-api-diff", "--llm", "off", "--out", out, ...flags);
  const report = await readFile(path.join(out, "report.json"), "utf8").then((text) => JSON.parse(text) as Review, () => undefined);
  return { code, stderr, ...(report ? { report } : {}) };
}

describe("a monorepo's workspaces", () => {
  it("run from a workspace member's folder: the root's lockfile, scoped to that member, its code only", async () => {
    const { code, stderr, report } = await review(path.join(root, "packages/api"));
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`bumpwise: reviewing the workspace packages/api of ${root} (package-lock.json)`);
    expect(report?.options.workspace).toBe("packages/api");
    expect(report?.bumps.map((bump) => `${bump.name} ${bump.importers.join(",")}`)).toEqual(["uuid packages/api"]);
    expect(report?.bumps[0]?.usedBy?.files).toEqual(["packages/api/src/index.js"]);
  });

  it("the whole repository: each bump is its declaring workspaces', and a package's use is counted in those workspaces' files only", async () => {
    const { code, report } = await review(root);
    expect(code).toBe(0);
    const dayjs = report?.bumps.find((bump) => bump.name === "dayjs");
    const uuid = report?.bumps.find((bump) => bump.name === "uuid");
    expect(dayjs?.importers).toEqual(["packages/web"]);
    // api's code imports dayjs without declaring it: not web's use.
    expect(dayjs?.usedBy?.files).toEqual(["packages/web/src/main.js"]);
    expect(uuid?.importers).toEqual(["packages/api", "packages/web"]);
    expect(uuid?.usedBy?.files.sort()).toEqual(["packages/api/src/index.js", "packages/web/src/main.js"]);
    const markdown = await readFile(path.join(world.env.BUMPWISE_CACHE_DIR as string, "out", "report.md"), "utf8");
    expect(markdown).toContain("| `dayjs` in `packages/web` |");
    const html = await readFile(path.join(world.env.BUMPWISE_CACHE_DIR as string, "out", "report.html"), "utf8");
    expect(html).toContain('<th data-sort="workspace">Workspace</th>');
  });

  it("--workspace names one from the root, and a folder that is not one is refused with the list", async () => {
    const web = await review(root, "--workspace", "packages/web");
    expect(web.report?.bumps.map((bump) => bump.name)).toEqual(["dayjs", "uuid"]);
    expect(web.report?.bumps.every((bump) => bump.importers.join() === "packages/web")).toBe(true);
    const wrong = await review(root, "--workspace", "packages/nope");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe("bumpwise: packages/nope is not a workspace of package-lock.json (its workspaces: packages/api, packages/web)");
  });
});
