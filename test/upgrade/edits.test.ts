import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { type FakeAnthropic, startFakeAnthropic } from "../helpers/fake-anthropic.js";

const world = useCliWorld();
let claude: FakeAnthropic;
beforeEach(async () => {
  claude = await startFakeAnthropic();
});
afterEach(() => claude.close());

const source = 'export async function today() {\n  const { default: dayjs } = await import("dayjs");\n  return dayjs().format("YYYY-MM-DD");\n}\n';

// A dayjs project in a git repository with Claude at the fake; `committed` is the file HEAD holds, and
// `range` (after the lock is written) what package.json declares.
async function dayjsRepo(options: { committed?: string; range?: string } = {}) {
  Object.assign(world.env, { PATH: process.env.PATH, npm_config_registry: world.registry.url, npm_config_cache: await mkdtemp(path.join(os.tmpdir(), "bumpwise-npm-cache-")), ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: claude.url });
  const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-repo-"));
  const run = async (command: string, args: string[]) => (await execa(command, args, { cwd: repo, env: world.env, extendEnv: false })).stdout;
  const manifest = (dayjs: string) => `${JSON.stringify({ name: "app", version: "1.0.0", private: true, dependencies: { dayjs } }, null, 2)}\n`;
  await writeFile(path.join(repo, "package.json"), manifest("1.11.0"));
  await mkdir(path.join(repo, "src"));
  await writeFile(path.join(repo, "src/today.mjs"), options.committed ?? source);
  await run("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"]);
  if (options.range) await writeFile(path.join(repo, "package.json"), manifest(options.range));
  await run("git", ["init", "--quiet", "-b", "main"]);
  await run("git", ["add", "-A"]);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"]);
  return { repo, run };
}

it("validated edits land on the branch in a commit of their own; the checkout keeps its file", async () => {
  const { repo, run } = await dayjsRepo();
  claude.script({
    json: {
      verdict: "breaking",
      confidence: 0.8,
      summary: "Format tokens changed.",
      changes: [],
      affectsYou: { affected: "yes", reasoning: "src/today.mjs formats dates." },
      edits: [{ file: "src/today.mjs", search: 'dayjs().format("YYYY-MM-DD")', replace: 'dayjs().format("YYYY-MM-DDTHH:mm")', reason: "keep the time" }],
    },
  });

  const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "anthropic", "--branch", "deps", "--apply", "all", "--out", path.join(repo, ".bumpwise"));
  expect(code).toBe(0);
  expect(stderr).toContain("Branch deps: 2 commit(s), 1 upgrade(s)");
  expect((await run("git", ["log", "--format=%s", "main..deps"])).split("\n")).toEqual(["Adapt to dayjs 1.11.23", "Upgrade 1 dependency"]);
  expect(await run("git", ["show", "deps:src/today.mjs"])).toContain('dayjs().format("YYYY-MM-DDTHH:mm")');
  expect(await readFile(path.join(repo, "src/today.mjs"), "utf8")).toBe(source);
});

it("under --apply safe, a breaking bump whose only edit adds a comment stays off the branch", async () => {
  // A caret range that the lockfile (1.11.0) satisfies: the pin rule does not decide here.
  const { repo } = await dayjsRepo({ range: "^1.11.0" });
  claude.script({
    json: {
      verdict: "breaking",
      confidence: 0.8,
      summary: "format() keeps unsupported year tokens now.",
      changes: [{ summary: "format output changed", severity: "breaking", version: "1.11.21", source: "notes", evidence: "preserve unsupported year tokens in format", symbols: ["format"], migration: "", affects: "yes", reaches: "src/today.mjs:3" }],
      affectsYou: { affected: "yes", reasoning: "src/today.mjs formats dates." },
      edits: [{ file: "src/today.mjs", search: 'dayjs().format("YYYY-MM-DD")', replace: 'dayjs().format("YYYY-MM-DD") // format changed in 1.11.21', reason: "format output changed" }],
    },
  });
  const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "anthropic", "--branch", "deps", "--out", path.join(os.tmpdir(), `bumpwise-out-${Date.now()}`));
  expect(code).toBe(0);
  expect(stderr).toMatch(/breaking\s+dayjs 1\.11\.0 → 1\.11\.23/);
  expect(stderr).toContain("not on the branch: dayjs (breaking, and no validated edit addresses llm/breaking (use --apply all to take it anyway))");
});

it("an edit valid against the working copy but not against HEAD is dropped with a note; the branch is still made", async () => {
  // Committed with another format; the working copy (uncommitted) has the text Claude's edit targets.
  const { repo, run } = await dayjsRepo({ committed: source.replace("YYYY-MM-DD", "YYYY") });
  await writeFile(path.join(repo, "src/today.mjs"), source);
  claude.script({
    json: {
      verdict: "breaking",
      confidence: 0.8,
      summary: "Format tokens changed.",
      changes: [],
      affectsYou: { affected: "yes", reasoning: "src/today.mjs formats dates." },
      edits: [{ file: "src/today.mjs", search: 'dayjs().format("YYYY-MM-DD")', replace: 'dayjs().format("YYYY-MM-DDTHH:mm")', reason: "keep the time" }],
    },
  });
  const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "anthropic", "--branch", "deps", "--apply", "all", "--out", path.join(os.tmpdir(), `bumpwise-out-${Date.now()}`));
  expect(code).toBe(0);
  expect(stderr).toContain("the edit to src/today.mjs for dayjs was dropped: its text is not in the committed version of the file (uncommitted changes?)");
  expect((await run("git", ["log", "--format=%s", "main..deps"])).split("\n")).toEqual(["Upgrade 1 dependency"]);
  expect(await readFile(path.join(repo, "src/today.mjs"), "utf8")).toBe(source);
});
