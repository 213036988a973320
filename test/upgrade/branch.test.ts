import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { bumpRange, pinDependencies } from "../../src/ecosystems/npm/pins.js";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo, type NpmRepo } from "../helpers/npm-repo.js";
import { readPullRequestBody } from "../helpers/pr-body.js";

const world = useCliWorld();
let repo: string;
let origin: string;
let run: NpmRepo["run"];
let checkoutFingerprint: (dir: string) => Promise<string>;

beforeEach(async () => {
  const made = await makeNpmRepo(world);
  ({ repo, origin, run } = made);
  checkoutFingerprint = () => made.fingerprint();
});

const review = (...extra: string[]) =>
  world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--out", path.join(repo, ".bumpwise"), ...extra);

describe("review --branch", () => {
  it("builds the branch in a worktree: ranges moved with their operator, a lockfile npm ci accepts, the checkout untouched", async () => {
    const before = await checkoutFingerprint(repo);
    const { code, stderr } = await review("--branch", "deps/upgrade", "--apply", "all");
    expect(stderr).toContain("Branch deps/upgrade: 1 commit(s), 3 upgrade(s)");
    expect(code).toBe(0);
    // .bumpwise/ is new and untracked; everything else is as it was.
    await run("rm", ["-rf", ".bumpwise"], repo);
    expect(await checkoutFingerprint(repo)).toBe(before);

    const manifest = JSON.parse(await run("git", ["show", "deps/upgrade:package.json"], repo));
    expect(manifest.dependencies).toEqual({ uuid: "^9.0.1", commander: "^11.1.0", dayjs: "^1.11.23" });
    const lock = JSON.parse(await run("git", ["show", "deps/upgrade:package-lock.json"], repo));
    expect(lock.packages["node_modules/uuid"].version).toBe("9.0.1");
    expect((await run("git", ["log", "--format=%s", "main..deps/upgrade"], repo)).trim()).toBe("Upgrade 3 dependencies");

    const check = await mkdtemp(path.join(os.tmpdir(), "bumpwise-check-"));
    await run("git", ["worktree", "add", "--quiet", check, "deps/upgrade"], repo);
    await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], check);
    expect(JSON.parse(await readFile(path.join(check, "node_modules/uuid/package.json"), "utf8")).version).toBe("9.0.1");
  });

  it("an exact pin stays exact, ~ and ^ keep their operator, and the lockfile holds the planned version where the range allows newer", async () => {
    // Locked by npm at uuid 9.0.0 and dayjs 1.10.0, then declared as a user would: uuid exact, dayjs ^, commander ~.
    const manifest = { name: "app", version: "1.0.0", private: true, dependencies: { uuid: "9.0.0", commander: "11.0.0", dayjs: "1.10.0" } };
    await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], repo);
    manifest.dependencies = { uuid: "9.0.0", commander: "~11.0.0", dayjs: "^1.10.0" };
    await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "ranges"], repo);
    // --target patch: dayjs goes to 1.10.8 although ^1.10.8 also allows 1.11.23, which npm alone would pick.
    const { code, stderr } = await review("--branch", "deps/ranges", "--apply", "all", "--target", "patch");
    expect(code, stderr).toBe(0);
    expect(JSON.parse(await run("git", ["show", "deps/ranges:package.json"], repo)).dependencies).toEqual({ uuid: "9.0.1", commander: "~11.0.0", dayjs: "^1.10.8" });
    const lock = JSON.parse(await run("git", ["show", "deps/ranges:package-lock.json"], repo));
    expect(lock.packages["node_modules/dayjs"].version).toBe("1.10.8");
    expect(lock.packages[""].dependencies).toEqual({ uuid: "9.0.1", commander: "~11.0.0", dayjs: "^1.10.8" });
    const minor = await review("--branch", "deps/tilde", "--apply", "all");
    expect(minor.code, minor.stderr).toBe(0);
    expect(JSON.parse(await run("git", ["show", "deps/tilde:package.json"], repo)).dependencies).toEqual({ uuid: "9.0.1", commander: "~11.1.0", dayjs: "^1.11.23" });
    // --target in-range: what the declared ranges allow, as npm's "Wanted"; what they leave is said.
    const wanted = await review("--target", "in-range");
    expect(wanted.code, wanted.stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.bumps.map((bump: { name: string; to: string }) => `${bump.name}@${bump.to}`)).toEqual(["dayjs@1.11.23"]);
    expect(report.heldBack.map((held: { name: string; reason: string }) => `${held.name}: ${held.reason}`)).toEqual([
      "commander: 11.1.0 is outside the declared ~11.0.0 (--target in-range)",
      "uuid: 9.0.1 is outside the declared 9.0.0 (--target in-range)",
    ]);
  }, 60_000);

  it("refuses to overwrite an existing branch without --force, and leaves no temporary branch", async () => {
    await run("git", ["branch", "deps/upgrade"], repo);
    const refused = await review("--branch", "deps/upgrade");
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n").at(-1)).toBe("bumpwise: branch deps/upgrade already exists; pass --force to replace it");
    expect((await review("--branch", "deps/upgrade", "--force", "--apply", "all")).code).toBe(0);
    expect((await run("git", ["branch", "--format=%(refname:short)"], repo)).trim().split("\n").sort()).toEqual(["deps/upgrade", "main"]);
  });

  it("a missing package manager stops with one line and leaves no branch behind", async () => {
    // A PATH with git and nothing else.
    const onlyGit = await mkdtemp(path.join(os.tmpdir(), "bumpwise-path-"));
    await symlink(execFileSync("which", ["git"], { encoding: "utf8" }).trim(), path.join(onlyGit, "git"));
    world.env.PATH = onlyGit;
    const { code, stderr } = await review("--branch", "deps/upgrade", "--apply", "all");
    expect(code).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toBe("bumpwise: the upgrade branch was not made: npm is not installed (not found on PATH); it is needed to regenerate package-lock.json");
    expect((await run("git", ["branch", "--format=%(refname:short)"], repo)).trim()).toBe("main");
    expect((await run("git", ["worktree", "list"], repo)).trim().split("\n")).toHaveLength(1);
  });
});

describe("review --verify", () => {
  // Four npm installs and test runs (baseline, all bumps, two halves): slow on a busy 2-core machine.
  it("finds the bump that breaks the tests by bisection and keeps it off the branch", async () => {
    // The project's test: fails when dayjs 1.11.23 is installed (a stand-in for a test that a real
    // regression would fail; the recorded tarballs carry package.json and changelogs only).
    const manifest = JSON.parse(await readFile(path.join(repo, "package.json"), "utf8"));
    manifest.scripts = { test: "node -e \"process.exit(require('dayjs/package.json').version === '1.11.23' ? 1 : 0)\"" };
    await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "test script"], repo);
    const { code, stderr } = await review("--branch", "deps/verified", "--verify", "npm test");
    expect(code).toBe(0);
    expect(stderr).toMatch(/--verify: the tests pass on the current lockfile and fail with the bumps; dayjs found in \d+ runs/);
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    const dayjs = report.bumps.find((b: { name: string }) => b.name === "dayjs");
    expect(dayjs.verdict).toMatchObject({ verdict: "breaking", reason: "breaking (tests): the project's tests fail with this bump (npm test)" });
    expect(dayjs.signals[0]).toMatchObject({ analyzer: "tests", rule: "tests/failed" });
    const pinned = JSON.parse(await run("git", ["show", "deps/verified:package.json"], repo));
    expect(pinned.dependencies).toEqual({ uuid: "^9.0.1", commander: "^11.1.0", dayjs: "^1.11.0" });
    expect(stderr).toContain("not on the branch: dayjs (breaking, and no validated edits");
  }, 60_000);

  it("tests that already fail on the current lockfile blame no bump", async () => {
    const manifest = JSON.parse(await readFile(path.join(repo, "package.json"), "utf8"));
    manifest.scripts = { test: "node -e \"process.exit(1)\"" };
    await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "failing test"], repo);
    const { code, stderr } = await review("--verify", "npm test");
    expect(code).toBe(0);
    expect(stderr).toMatch(/--verify: the tests already fail on the current lockfile, so no bump is blamed/);
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.bumps.filter((b: { verdict: { reason: string } }) => b.verdict.reason.startsWith("breaking (tests)"))).toEqual([]);
    expect(report.verify).toMatchObject({ command: "npm test", outcome: "baseline-fails", runs: 1 });
  });

  it("a test command that is not installed is a setup failure, not a failing test", async () => {
    const { code, stderr } = await review("--verify", "no-such-test-runner --run");
    expect(code).toBe(0);
    expect(stderr).toContain("--verify: the tests did not run: the test command no-such-test-runner was not found");
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.verify).toMatchObject({ outcome: "setup-failed" });
    expect(report.summary.breaking).toBe(0);
  });
});

describe("what a run leaves in the checkout", () => {
  it(".bumpwise/ ignores itself, so a review leaves the tree clean and --branch does not warn about it", async () => {
    await review();
    expect(await run("git", ["status", "--porcelain"], repo)).toBe("");
    const { stderr } = await review("--branch", "deps/clean", "--apply", "all");
    expect(stderr).not.toContain("uncommitted changes");
  });

  it("--pr without a token stops before anything is built", async () => {
    const before = await checkoutFingerprint(repo);
    const out = await mkdtemp(path.join(os.tmpdir(), "bumpwise-out-"));
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--out", out, "--branch", "deps/no-token", "--pr");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n").at(-1)).toBe("bumpwise: --pr needs GITHUB_TOKEN or GH_TOKEN in the environment");
    expect((await run("git", ["branch", "--format=%(refname:short)"], repo)).trim()).toBe("main");
    expect((await run("git", ["worktree", "list"], repo)).trim().split("\n")).toHaveLength(1);
    expect(await checkoutFingerprint(repo)).toBe(before);
  });
});

describe("review --pr", () => {
  it("pushes the branch and opens one pull request, then updates it on the next run", async () => {
    Object.assign(world.env, { GITHUB_TOKEN: "ghp_secret_token", GITHUB_REPOSITORY: "acme/app" });
    const first = await review("--branch", "bumpwise/deps", "--pr", "--apply", "all");
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Pull request #1 opened: https://github.com/acme/app/pull/1");
    expect((await run("git", ["--git-dir", origin, "branch", "--format=%(refname:short)"], repo)).trim()).toBe("bumpwise/deps");
    const second = await review("--branch", "bumpwise/deps", "--force", "--pr", "--apply", "all");
    expect(second.stderr).toContain("Pull request #1 updated");
    expect(world.github.pulls).toHaveLength(1);
    const pull = world.github.pulls[0];
    expect(pull).toMatchObject({ head: "bumpwise/deps", base: "main", title: "Upgrade 3 dependencies", draft: false, labels: ["dependencies", "bumpwise"] });
    expect(pull?.body).toMatch(/^# bumpwise report/);
    expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toContain("ghp_secret_token");
    expect(world.github.requests.every((r) => r.authorization === "token ghp_secret_token")).toBe(true);
  });
});

describe("review --pr: the PR body is the branch", () => {
  // Two npm installs and test runs per bisection step: slow on a busy 2-core machine.
  it("title, draft, labels and the body's \"In this PR\" count what the branch holds; what it left off is listed with the reason", async () => {
    // uuid pinned exactly (stays under --apply safe); dayjs 1.11.23 fails the project's test (breaking, left off).
    const manifest = JSON.parse(await readFile(path.join(repo, "package.json"), "utf8"));
    manifest.dependencies.uuid = "9.0.0";
    manifest.scripts = { test: "node -e \"process.exit(require('dayjs/package.json').version === '1.11.23' ? 1 : 0)\"" };
    await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "pin uuid, test script"], repo);
    Object.assign(world.env, { GITHUB_TOKEN: "ghp_secret_token", GITHUB_REPOSITORY: "acme/app" });
    const { code, stderr } = await review("--branch", "bumpwise/deps", "--pr", "--apply", "safe", "--verify", "npm test");
    expect(code, stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.summary.breaking).toBe(1);
    const pull = world.github.pulls[0];
    expect(pull).toMatchObject({ title: "Upgrade 1 dependency", draft: false, labels: ["dependencies", "bumpwise"] });
    const body = readPullRequestBody(pull?.body ?? "");
    // The branch's first commit lists its bumps as "- name from → to (verdict)".
    const committed = (await run("git", ["log", "--reverse", "--format=%B", "main..bumpwise/deps"], repo)).split("\n").flatMap((line) => /^- (\S+) (\S+) → (\S+) \(/.exec(line)?.slice(1, 4).join(" ") ?? []);
    expect(body.inThisPr.map((line) => line.replace(" → ", " "))).toEqual(committed);
    expect(body.inThisPr).toEqual(["commander 11.0.0 → 11.1.0"]);
    expect(body.notInThisPr).toEqual([
      "dayjs@1.11.0 → 1.11.23: breaking, and no validated edits to adapt the code (use --apply all to take it anyway)",
      "uuid@9.0.0 → 9.0.1: package.json pins it at exactly 9.0.0; the pin stays (use --apply all to lift it)",
    ]);
    expect(body.foreignHtml).toEqual([]);
    expect(body.liveMentions).toEqual([]);
    expect(body.maxColumns).toBeLessThanOrEqual(5);
    // report.md on disk is the same body.
    expect(await readFile(path.join(repo, ".bumpwise/report.md"), "utf8")).toBe(pull?.body);
  }, 90_000);
});

describe("pinDependencies", () => {
  it("moves every field that declares the package, keeping each operator, the formatting and non-registry specs", () => {
    const text = '{\n    "dependencies": { "a": "^1.0.0", "b": "workspace:*" },\n    "devDependencies": { "a": "~1.0.0" }\n}\n';
    const pinned = pinDependencies(text, new Map([["a", "1.2.0"], ["b", "2.0.0"]]));
    expect(pinned).toBe('{\n    "dependencies": {\n        "a": "^1.2.0",\n        "b": "workspace:*"\n    },\n    "devDependencies": {\n        "a": "~1.2.0"\n    }\n}\n');
    expect(pinDependencies(text, new Map([["a", "1.2.0"]]), "exact")).toContain('"a": "1.2.0"');
    expect(pinDependencies(text, new Map([["c", "1.0.0"]]))).toBeUndefined();
  });

  it("bumpRange: the operator kept as ncu -u and Renovate's bump keep it; a range it cannot move stays when it allows the target", () => {
    const cases: [string, string, string][] = [
      ["^4.18.2", "4.22.3", "^4.22.3"],
      ["~1.2.3", "1.2.9", "~1.2.9"],
      ["~11.0.0", "11.1.0", "~11.1.0"],
      ["^4.18", "4.22.3", "^4.22.3"],
      ["~1", "1.4.0", "~1"], // ~1.4.0 would allow only 1.4.x
      [">=1.0.0", "1.4.0", ">=1.4.0"],
      ["1.2.3", "1.2.9", "1.2.9"],
      ["=1.2.3", "1.2.9", "=1.2.9"],
      ["1.2.x", "1.4.0", "1.4.x"],
      ["*", "1.4.0", "*"],
      [">=1 <3", "1.4.0", ">=1 <3"],
      [">=1 <1.3", "1.4.0", "1.4.0"],
    ];
    expect(cases.map(([spec, target]) => bumpRange(spec, target))).toEqual(cases.map(([, , expected]) => expected));
  });
});
