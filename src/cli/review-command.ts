import path from "node:path";
import { registryFlag } from "./registry-flag.js";
import { actionsRunUrl, writeReports } from "./reports.js";
import { writeActionsStep } from "./actions-run.js";
import { InputError, RuntimeFailure } from "../errors.js";
import { githubToken } from "../github/token.js";
import { detectEcosystem, ecosystems, ecosystemsPresent, locateProject } from "../ecosystems/index.js";
import { mergeReviews } from "../review/merge.js";
import type { LockWriter } from "../ecosystems/lock-writer.js";
import type { Review } from "../review-types.js";
import { type PlanTarget, selectPackages } from "../plan/index.js";
import { knownSecrets } from "../secrets.js";
import { defaultCacheDir, noCache, openCache } from "../registry/cache.js";
import { failsOn } from "../report/comment.js";
import { renderTerminalSummary, terminalStyle } from "../report/terminal.js";
import { reviewInventory } from "../review/index.js";
import type { Bump, Ecosystem, InstalledPackage, Inventory } from "../types.js";
import type { EcosystemPlugin } from "../ecosystems/run.js";
import { diffInventories } from "../plan/lock-diff.js";
import { type CliIo, exitCodes } from "./io.js";
import type { LlmFlags, llmSetup } from "./llm-setup.js";
import type { JsonCache } from "../registry/cache.js";
import type { UpgradeFlags } from "./upgrade-step.js";
import type { CommentFlags } from "./comment-step.js";
import { toolVersion } from "./version.js";

const maxConnectionsPerHost = 4;

export interface ReviewFlags extends LlmFlags, UpgradeFlags, CommentFlags {
  lockfile?: string;
  /** npm or pypi; detected from the lockfiles present when absent. */
  ecosystem?: Ecosystem;
  target: PlanTarget;
  all: boolean;
  include: string[];
  exclude: string[];
  minAge: number;
  asOf?: Date;
  /** Default: .bumpwise in the project's folder, so two projects' reports never overwrite each other. */
  out?: string;
  json: boolean;
  failOn: "breaking" | "risky" | "never";
  registry?: string;
  indexUrl?: string;
  offline: boolean;
  cache: boolean;
  concurrency: number;
  /** Seconds one registry request may take. */
  requestTimeout: number;
  notes: boolean;
  github: boolean;
  apiDiff: boolean;
  apiBudget: number;
  /** Review the lockfile change since this git ref (a pull request's base) instead of planning bumps. */
  base?: string;
  /** One workspace of a monorepo (its folder relative to the root); default: the folder the review runs from, when it is one. */
  workspace?: string;
}

export async function runReview(dir: string | undefined, flags: ReviewFlags, io: CliIo): Promise<number> {
  // Checked before anything runs: a review and a branch made only to fail at the push are work thrown away.
  if (flags.pr && !githubToken(io.env)) throw new InputError("--pr needs GITHUB_TOKEN or GH_TOKEN in the environment");
  const lockfilePath = flags.lockfile ? path.resolve(io.cwd, flags.lockfile) : undefined;
  // Run from a workspace member's folder: the review is the workspace root's, scoped to that member.
  const located = lockfilePath ? { projectDir: path.resolve(io.cwd, dir ?? ".") } : await locateProject(path.resolve(io.cwd, dir ?? "."));
  const { projectDir } = located;
  const workspace = flags.workspace?.replace(/^\.\/|\/$/g, "") ?? located.workspace;
  if (flags.base !== undefined && (flags.branch || flags.pr)) throw new InputError("--base reviews a lockfile change someone else made; it does not combine with --branch or --pr (--verify tests it against the base)");
  const upgrading = Boolean(flags.verify || flags.branch || flags.pr);
  const commenting = flags.comment ? { ...(await import("./comment-step.js")), ...(await import("../exec.js")) } : undefined;
  const commentTarget = commenting ? await commenting.commentTarget(flags, io, projectDir, commenting.runCommand) : undefined;
  // Outside git, or before the first commit, there is nothing to build a branch or a test worktree from.
  if (upgrading) {
    const [{ runCommand }, { gitRootWithCommit }] = await Promise.all([import("../exec.js"), import("../upgrade/branch.js")]);
    await gitRootWithCommit(projectDir, io.env, runCommand, flags.branch || flags.pr ? "--branch" : "--verify");
  }
  // A folder with an npm and a Python lockfile (a web app and its API): both reviewed into one report.
  const present = flags.ecosystem || lockfilePath ? [] : await ecosystemsPresent(projectDir);
  if (present.length > 1 && (upgrading || flags.base !== undefined || flags.comment)) {
    throw new InputError(`${projectDir} has lockfiles of ${present.length} ecosystems; --branch, --verify, --base and --comment work on one: pass ${present.map((id) => `--ecosystem ${id}`).join(" or ")}`);
  }
  const plugins = present.length > 1 ? await Promise.all(present.map((id) => ecosystems[id].load())) : [await detectEcosystem(projectDir, { ...(flags.ecosystem ? { ecosystem: flags.ecosystem } : {}), ...(lockfilePath ? { lockfilePath } : {}) })];
  // One cache and one Claude set-up for the run: with several ecosystems, --max-cost is one budget.
  const cache = flags.cache ? openCache(defaultCacheDir(io.env)) : noCache;
  const claude = await (await import("./llm-setup.js")).llmSetup(flags, { env: io.env, cache });
  const parts: ReviewedPart[] = [];
  for (const plugin of plugins) parts.push(await reviewWith(plugin, { projectDir, lockfilePath, workspace, walkedUp: located.workspace !== undefined && !flags.workspace, upgrading, several: plugins.length > 1 }, { cache, claude }, flags, io));
  await cache.flush();
  const [first] = parts as [ReviewedPart, ...ReviewedPart[]];
  const { inventory, writer, registryUrl } = first;
  const review = parts.length > 1 ? mergeReviews(parts.map((part) => part.review)) : first.review;

  const upgrade = writer ? { writer, ...(await import("./upgrade-step.js")), ...(await import("../exec.js")) } : undefined;
  await upgrade?.runVerifyStep(review, inventory, upgrade.writer, flags, io, upgrade.runCommand);
  const outDir = flags.out ? path.resolve(io.cwd, flags.out) : path.join(projectDir, ".bumpwise");
  const json = await writeReports(review, outDir, io.env);
  if (flags.json) io.stdout.write(json);
  io.stderr.write(renderTerminalSummary(review, terminalStyle(io.stderr, io.env)));
  io.stderr.write(`Report: ${path.join(outDir, "report.html")} (open it in a browser), report.md and report.json beside it\n`);

  if (commenting && commentTarget) await commenting.runCommentStep(review, commentTarget, flags, io, actionsRunUrl(io.env).runUrl);
  await upgrade?.runUpgradeStep(review, inventory, upgrade.writer, { ...flags, out: outDir }, io, upgrade.runCommand, knownSecrets(io.env, [registryUrl]));
  await writeActionsStep(review, outDir, flags.failOn, io.env);
  // Every package failing (401 everywhere, garbage everywhere) is no review at all: it must not pass a CI
  // gate. Counted by the registry's answers: a package locked from git or another index is not a failure.
  if (review.summary.checked > 0 && review.summary.answered === 0) {
    throw new RuntimeFailure(`no package could be checked: ${review.errors.find((error) => error.code !== "not-planned")?.message ?? "registry unreachable"}`);
  }
  if (!failsOn(review, flags.failOn)) return exitCodes.ok;
  const tripped = review.bumps.filter((bump) => bump.verdict.verdict === "breaking" || (flags.failOn === "risky" && bump.verdict.verdict === "risky"));
  io.stderr.write(`--fail-on ${flags.failOn}: exit 1 for ${tripped.map((bump) => `${bump.name} ${bump.from} → ${bump.to} (${bump.verdict.verdict})`).join(", ")}\n`);
  return exitCodes.findings;
}

// The lockfile at --base, read through git into an inventory (empty when the change adds the lockfile).
async function readBase(plugin: EcosystemPlugin, inventory: Inventory, projectDir: string, ref: string, io: CliIo): Promise<{ ref: string; missing: boolean; packages: InstalledPackage[] }> {
  const [{ runCommand }, { lockfileAtRef }] = await Promise.all([import("../exec.js"), import("../review/base.js")]);
  const text = await lockfileAtRef(runCommand, { projectDir, lockfilePath: inventory.lockfilePath, ref, env: io.env });
  if (text === undefined) return { ref, missing: true, packages: [] };
  const at = await plugin.readInventory({ projectDir, lockfilePath: inventory.lockfilePath, content: text });
  return { ref, missing: false, packages: at.packages };
}

// The names whose locked versions differ: what the project's code is scanned for.
function changedNames(base: InstalledPackage[], head: InstalledPackage[]): string[] {
  const key = (pkg: InstalledPackage) => `${pkg.name}@${pkg.version}`;
  const before = new Set(base.map(key));
  const after = new Set(head.map(key));
  return [...new Set([...base.filter((pkg) => !after.has(key(pkg))), ...head.filter((pkg) => !before.has(key(pkg)))].map((pkg) => pkg.name))].sort();
}

/**
 * Progress on stderr: a live line on a terminal; in a CI log (not a terminal), a plain line at most every
 * `everyMs`, so a long review is not minutes of silence.
 */
export function progressLine(io: CliIo, now: () => number = Date.now, everyMs = 5000) {
  const live = io.stderr.isTTY === true;
  let shown = false;
  let last = now();
  return {
    update: (event: { stage: "registry" | "review"; done: number; total: number }) => {
      const doing = event.stage === "registry" ? "checking the registry" : "reviewing the bumps";
      if (live) {
        io.stderr.write(`\r\u001b[2K${doing}: ${event.done}/${event.total}`);
        shown = true;
        return;
      }
      if (now() - last < everyMs) return;
      last = now();
      io.stderr.write(`bumpwise: ${doing}, ${event.done} of ${event.total}\n`);
    },
    clear: () => {
      if (shown) io.stderr.write("\r\u001b[2K");
    },
  };
}

interface ReviewedPart {
  review: Review;
  inventory: Inventory;
  writer?: LockWriter;
  registryUrl?: string;
}

// One ecosystem's review of the project: its lockfile, the registry, the notes, the API, Claude.
async function reviewWith(
  plugin: EcosystemPlugin,
  where: { projectDir: string; lockfilePath: string | undefined; workspace: string | undefined; walkedUp: boolean; upgrading: boolean; several: boolean },
  shared: { cache: JsonCache; claude: Awaited<ReturnType<typeof llmSetup>> },
  flags: ReviewFlags,
  io: CliIo,
): Promise<ReviewedPart> {
  const { projectDir, lockfilePath, workspace, upgrading } = where;
  const inventory = await plugin.readInventory({ projectDir, ...(lockfilePath ? { lockfilePath } : {}) });
  if (workspace !== undefined) {
    const members = [...new Set(inventory.packages.flatMap((pkg) => pkg.importers))].filter((importer) => importer !== ".").sort();
    if (!members.includes(workspace)) {
      throw new InputError(`${workspace} is not a workspace of ${path.relative(io.cwd, inventory.lockfilePath) || inventory.lockfilePath}${members.length > 0 ? ` (its workspaces: ${members.join(", ")})` : " (it has none)"}`);
    }
    if (where.walkedUp) io.stderr.write(`bumpwise: reviewing the workspace ${workspace} of ${projectDir} (${path.basename(inventory.lockfilePath)})\n`);
  }
  const base = flags.base === undefined ? undefined : await readBase(plugin, inventory, projectDir, flags.base, io);
  // With several ecosystems, --registry is npm's and --index-url Python's; alone, Python takes either.
  const registryUrl = registryFlag(plugin.describe, where.several ? { ...(plugin.describe.registryFlag === "registry" && flags.registry ? { registry: flags.registry } : {}), ...(flags.indexUrl ? { indexUrl: flags.indexUrl } : {}) } : flags);
  // A lockfile bumpwise cannot write stops here, before the review, not after it.
  const writer = upgrading ? await plugin.lockWriter(inventory, { projectDir, env: io.env, offline: flags.offline, allowBuilds: flags.allowBuilds, ...(registryUrl ? { registryUrl } : {}) }) : undefined;
  const reviewOptions = {
    target: flags.target,
    all: flags.all,
    include: flags.include,
    exclude: flags.exclude,
    minAgeDays: flags.minAge,
    offline: flags.offline,
    ...(workspace !== undefined ? { workspace } : {}),
  };
  const packageNames = base ? changedNames(base.packages, inventory.packages) : [...new Set(selectPackages(inventory.packages, { ...reviewOptions, now: flags.asOf ?? new Date() }).map((pkg) => pkg.name))];
  // The project is read once: its facts and how its code uses each package decide every verdict.
  const { cache, claude } = shared;
  const project = await plugin.readProject(projectDir, inventory, packageNames, cache);
  const run = await plugin.open({
    projectDir,
    env: io.env,
    ...(registryUrl ? { registryUrl } : {}),
    offline: flags.offline,
    cache,
    // Through a proxy each new TLS connection re-reads a CA bundle (about 20 ms), and every connection carries a body
    // of up to 25 MB: on the large fixture 4 connections a host were as fast as 8 or 16 and kept the
    // peak under 300 MB.
    maxConnections: Math.min(flags.concurrency, maxConnectionsPerHost),
    requestTimeoutMs: flags.requestTimeout * 1000,
    ...(flags.notes ? { notes: { github: flags.github, githubApiUrl: flags.githubApiUrl } } : {}),
    // Direct dependencies only: a transitive package's API is not this project's to use.
    ...(flags.apiDiff ? { api: { budgetMs: flags.apiBudget * 1000, wanted: (bump: Bump) => bump.direct } } : {}),
  });
  const progress = progressLine(io);
  const review = await reviewInventory(
    inventory,
    projectDir,
    reviewOptions,
    {
      ...("llm" in claude ? { llm: claude.llm } : { llmOffReason: claude.offReason }),
      ecosystem: run.review,
      concurrency: flags.concurrency,
      toolVersion,
      project,
      ...(flags.asOf ? { now: () => flags.asOf as Date } : {}),
      onProgress: progress.update,
      ...(base ? { lockChange: { base: base.ref, baseLockfileMissing: base.missing, changes: diffInventories(base.packages, inventory.packages, run.review.versioning) } } : {}),
      ...(run.notes ? { notes: run.notes.collector, notesNote: run.notes.note } : {}),
    },
  ).finally(() => run.close());
  progress.clear();
  return { review, inventory, ...(writer ? { writer } : {}), ...(registryUrl ? { registryUrl } : {}) };
}
