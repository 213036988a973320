import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Review } from "../../src/review/index.js";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo, type NpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();
let npm: NpmRepo;

beforeEach(async () => {
  npm = await makeNpmRepo(world);
});

const commit = (message: string) => npm.run("git", ["-c", "user.name=dependabot", "-c", "user.email=bot@example.com", "commit", "--quiet", "-am", message], npm.repo);

async function review(...flags: string[]): Promise<{ code: number; stderr: string; report?: Review }> {
  const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
  const { code, stderr } = await world.bumpwise(npm.repo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "off", "--out", out, ...flags);
  const report = await readFile(path.join(out, "report.json"), "utf8").then((text) => JSON.parse(text) as Review, () => undefined);
  return { code, stderr, ...(report ? { report } : {}) };
}

describe("review --base: the bumps are the lockfile change since a git ref", () => {
  it("reviews what a Dependabot-like commit moved in package-lock.json, lists the downgrade, and leaves the checkout untouched", async () => {
    await npm.run("npm", ["install", "uuid@9.0.1", "dayjs@1.10.7", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], npm.repo);
    await commit("Bump uuid from 9.0.0 to 9.0.1");
    const before = await npm.fingerprint();
    const { code, report, stderr } = await review("--base", "HEAD~1");
    expect(stderr).not.toContain("unexpected");
    expect(code).toBe(0);
    expect(report?.bumps.map((bump) => `${bump.name} ${bump.from} → ${bump.to} ${bump.type}`)).toEqual(["uuid 9.0.0 → 9.0.1 patch"]);
    expect(report?.lockChange).toMatchObject({ base: "HEAD~1", baseLockfileMissing: false, upgraded: 1, added: [], removed: [] });
    expect(report?.lockChange?.downgraded.map((change) => `${change.name} ${change.from} → ${change.to}`)).toEqual(["dayjs 1.11.0 → 1.10.7"]);
    const markdown = await readFile(path.join(world.env.BUMPWISE_CACHE_DIR as string, "out", "report.md"), "utf8");
    expect(markdown).toContain("**1 bump** in the lockfile change since `HEAD~1` (direct and transitive, majors included)");
    expect(markdown).toContain("| `dayjs` | downgraded | 1.11.0 | 1.10.7 | direct |");
    // commander is at 11.0.0 with 11.1.0 published: not in the change, so not a bump here.
    expect(report?.bumps.some((bump) => bump.name === "commander")).toBe(false);
    await rm(path.join(world.env.BUMPWISE_CACHE_DIR as string, "out"), { recursive: true, force: true });
    expect(await npm.fingerprint()).toBe(before);
  });

  it("a lockfile added since the base lists every package as added", async () => {
    await npm.run("git", ["rm", "--quiet", "--cached", "package-lock.json"], npm.repo);
    await commit("untrack the lockfile");
    await npm.run("git", ["add", "package-lock.json"], npm.repo);
    await commit("add the lockfile");
    const { code, report } = await review("--base", "HEAD~1");
    expect(code).toBe(0);
    expect(report?.bumps).toEqual([]);
    expect(report?.lockChange?.baseLockfileMissing).toBe(true);
    expect(report?.lockChange?.added.map((change) => change.name)).toEqual(["commander", "dayjs", "uuid"]);
  });

  it("a base ref that does not exist exits 2 with one line", async () => {
    const { code, stderr } = await review("--base", "origin/nope");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^bumpwise: --base origin\/nope: no such commit/)]);
  });
});

describe("review --base --verify: the tests at the base, then on the pull request", () => {
  // npm installs and test runs in worktrees (base, the PR, its bumps at the base, a half): slow on a busy 2-core machine.
  it("a pull request whose lockfile change breaks the tests: the culprit is found by bisection from the base, and the checkout is untouched", async () => {
    const manifest = JSON.parse(await readFile(path.join(npm.repo, "package.json"), "utf8"));
    manifest.scripts = { test: "node -e \"process.exit(require('uuid/package.json').version === '9.0.1' ? 1 : 0)\"" };
    await writeFile(path.join(npm.repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await commit("test script");
    await npm.run("npm", ["install", "uuid@9.0.1", "commander@11.1.0", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], npm.repo);
    await commit("Bump uuid and commander");
    const before = await npm.fingerprint();
    const { code, stderr, report } = await review("--base", "HEAD~1", "--verify", "npm test");
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/--verify: the tests pass at HEAD~1 and fail on the pull request; uuid found in \d+ runs/);
    expect(report?.verify).toMatchObject({ command: "npm test", outcome: "failed" });
    const uuid = report?.bumps.find((bump) => bump.name === "uuid");
    expect(uuid?.verdict).toMatchObject({ verdict: "breaking", strength: "proven" });
    expect(report?.bumps.find((bump) => bump.name === "commander")?.verdict.verdict).not.toBe("breaking");
    expect(await npm.fingerprint()).toBe(before);
    expect((await npm.run("git", ["worktree", "list"], npm.repo)).trim().split("\n")).toHaveLength(1);
  }, 120_000);

  it("tests that pass on both sides say so, and --base still refuses --branch", async () => {
    const manifest = JSON.parse(await readFile(path.join(npm.repo, "package.json"), "utf8"));
    manifest.scripts = { test: "node -e \"require('uuid/package.json')\"" };
    await writeFile(path.join(npm.repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await commit("test script");
    await npm.run("npm", ["install", "uuid@9.0.1", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], npm.repo);
    await commit("Bump uuid from 9.0.0 to 9.0.1");
    const { code, stderr } = await review("--base", "HEAD~1", "--verify", "npm test");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("--verify: the tests pass at HEAD~1 and on the pull request");
    const branch = await review("--base", "HEAD~1", "--branch");
    expect(branch.code).toBe(2);
    expect(branch.stderr).toMatch(/does not combine with --branch or --pr/);
  }, 120_000);
});

describe("review --base --comment: one comment on the pull request, updated on every run, and a commit status", () => {
  const bumpUuid = async () => {
    await npm.run("npm", ["install", "uuid@9.0.1", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], npm.repo);
    await commit("Bump uuid from 9.0.0 to 9.0.1");
  };

  it("posts one comment with the marker, updates it on the second run without a second one, and sets the status on the head commit", async () => {
    await bumpUuid();
    world.env.GITHUB_TOKEN = "ghs_test";
    // Someone else's comment on the same pull request is left alone.
    world.github.comments.push({ id: 1, repo: "acme/app", issue: 7, body: "LGTM", login: "octocat" });
    const first = await review("--base", "HEAD~1", "--comment", "--pr-number", "7", "--repo", "acme/app");
    expect(first.stderr).toContain("Comment on #7 posted");
    expect(first.code).toBe(0);
    const ours = world.github.comments.filter((comment) => comment.body.includes("<!-- bumpwise -->"));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body.split("\n")[1]).toMatch(/^🟢 \*\*bumpwise: 0 breaking, 0 risky, 1 safe\*\* of 1 bump in the lockfile change since `HEAD~1`|^⚪ \*\*bumpwise: 0 breaking, 0 risky, 0 safe, 1 unknown\*\* of 1 bump/);
    expect(ours[0]?.body).toContain("`uuid`");
    const head = (await npm.run("git", ["rev-parse", "HEAD"], npm.repo)).trim();
    expect(world.github.statuses).toEqual([expect.objectContaining({ repo: "acme/app", sha: head, state: "success", context: "bumpwise" })]);

    const second = await review("--base", "HEAD~1", "--comment", "--pr-number", "7", "--repo", "acme/app", "--fail-on", "risky");
    expect(second.stderr).toContain("Comment on #7 updated");
    expect(world.github.comments.filter((comment) => comment.body.includes("<!-- bumpwise -->"))).toHaveLength(1);
    expect(world.github.comments.find((comment) => comment.id === 1)?.body).toBe("LGTM");
    expect(world.github.requests.filter((request) => request.method === "PATCH").map((request) => request.url)).toEqual([`/repos/acme/app/issues/comments/${ours[0]?.id}`]);
    expect(world.github.statuses).toHaveLength(2);
    expect(world.github.requests.every((request) => request.authorization === "token ghs_test")).toBe(true);
    expect(world.github.unanswered).toEqual([]);
  });

  it("reads the pull request and its head commit from GITHUB_EVENT_PATH and the repository from GITHUB_REPOSITORY", async () => {
    await bumpUuid();
    const eventDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-event-"));
    const sha = "a".repeat(40);
    await writeFile(path.join(eventDir, "event.json"), JSON.stringify({ action: "synchronize", number: 12, pull_request: { number: 12, head: { sha, ref: "dependabot/npm_and_yarn/uuid-9.0.1" } } }));
    Object.assign(world.env, { GITHUB_TOKEN: "ghs_test", GITHUB_EVENT_PATH: path.join(eventDir, "event.json"), GITHUB_REPOSITORY: "acme/app" });
    const { code } = await review("--base", "HEAD~1", "--comment");
    expect(code).toBe(0);
    expect(world.github.comments.map((comment) => `${comment.repo}#${comment.issue}`)).toEqual(["acme/app#12"]);
    expect(world.github.statuses.map((status) => status.sha)).toEqual([sha]);
    expect(world.github.unanswered).toEqual([]);
  });

  it("in a GitHub Actions step, writes the step's outputs and the job summary once", async () => {
    await bumpUuid();
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-actions-"));
    Object.assign(world.env, { GITHUB_OUTPUT: path.join(dir, "output"), GITHUB_STEP_SUMMARY: path.join(dir, "summary"), GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/app", GITHUB_RUN_ID: "42" });
    const { code } = await review("--base", "HEAD~1");
    expect(code).toBe(0);
    const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
    expect((await readFile(path.join(dir, "output"), "utf8")).split("\n")).toEqual(["breaking=0", "risky=0", `report-dir=${out}`, ""]);
    const summary = await readFile(path.join(dir, "summary"), "utf8");
    expect(summary.match(/bumpwise: /g)).toHaveLength(1);
    expect(summary).toContain("`uuid`");
    expect(summary).toContain("https://github.com/acme/app/actions/runs/42");
  });

  it("without a token or a pull request number, stops before the review with one line", async () => {
    const noToken = await review("--base", "HEAD~1", "--comment", "--pr-number", "7", "--repo", "acme/app");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.trim()).toBe("bumpwise: --comment needs GITHUB_TOKEN or GH_TOKEN in the environment");
    world.env.GITHUB_TOKEN = "ghs_test";
    const noNumber = await review("--base", "HEAD~1", "--comment", "--repo", "acme/app");
    expect(noNumber.code).toBe(2);
    expect(noNumber.stderr.trim()).toMatch(/^bumpwise: --comment needs the pull request: pass --pr-number N/);
    expect(world.github.requests).toEqual([]);
  });

  it("a token GitHub refuses (a Dependabot run's read-only token) fails with one line naming the permissions", async () => {
    await bumpUuid();
    world.env.GITHUB_TOKEN = "ghs_readonly";
    world.github.override("/repos/acme/app/issues", { status: 403 });
    const { code, stderr } = await review("--base", "HEAD~1", "--comment", "--pr-number", "7", "--repo", "acme/app");
    expect(code).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toBe("bumpwise: GitHub refused the comment or status (403) on acme/app#7: the token cannot write here (a workflow needs `permissions: pull-requests: write, statuses: write`)");
  });
});
