import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { defaultModel } from "../analysis/llm/model.js";
import { ecosystems, explainDefault } from "../ecosystems/index.js";
import { InputError, RuntimeFailure } from "../errors.js";
import { RegistryError } from "../registry/contract.js";
import { redactUserinfo } from "../secrets.js";
import type { Ecosystem } from "../types.js";
import { type CliIo, exitCodes } from "./io.js";
import type { ExplainFlags } from "./explain-command.js";
import type { ReviewFlags } from "./review-command.js";
import { toolVersion } from "./version.js";

/** Runs bumpwise with argv (without "node bumpwise") and returns the exit code. Only this layer prints. */
export async function run(argv: string[], given: CliIo): Promise<number> {
  // Every message bumpwise prints (its own, commander's, a tool's output in a failure) names URLs without
  // userinfo. stdout carries the JSON report, byte for byte as report.json (whose quotes stay verbatim).
  const io: CliIo = {
    ...given,
    stderr: {
      write: (text: string) => given.stderr.write(redactUserinfo(text)),
      ...(given.stderr.isTTY !== undefined ? { isTTY: given.stderr.isTTY } : {}),
      ...(given.stderr.columns !== undefined ? { columns: given.stderr.columns } : {}),
    },
  };
  let exitCode: number = exitCodes.ok;
  let debug = argv.includes("--debug");
  const program = new Command("bumpwise")
    .description("Review minor and patch dependency upgrades before they land.")
    .version(toolVersion, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showSuggestionAfterError();

  program
    .command("review")
    .description("read the lockfile, find the available minor/patch bumps and report what they change")
    .argument("[dir]", "project directory", ".")
    .optionsGroup("Which bumps:")
    .option("--lockfile <path>", "lockfile to read (default: detected in dir)")
    .option("--ecosystem <name>", "npm or pypi (default: from the lockfiles in dir)", ecosystemName)
    .addOption(
      new Option("--target <level>", "newest minor, only newest patch, or the newest the declared range allows (npm's Wanted)").choices(["minor", "patch", "in-range"]).default("minor"),
    )
    .option("--all", "transitive dependencies too (default: direct only)", false)
    .option("--workspace <path>", "one workspace of a monorepo, as a folder relative to the root (default: the folder you run from, when it is a workspace member)")
    .option("--base <ref>", "review the lockfile change since this git ref (a pull request's base, e.g. origin/main) instead of planning bumps: direct and transitive, majors included")
    .option("--include <glob>", "only package names matching (repeatable)", collect, [])
    .option("--exclude <glob>", "skip package names matching (repeatable)", collect, [])
    .option("--min-age <days>", "skip versions published fewer than this many days ago", nonNegative, 0)
    .option("--as-of <date>", "review as on this date (YYYY-MM-DD): versions published after it are not considered", pastDate)
    .optionsGroup("Output:")
    .option("--out <dir>", "where report.html, report.md and report.json are written (default: .bumpwise in the project's folder)")
    .option("--json", "also print the JSON report to stdout", false)
    .addOption(
      new Option("--fail-on <level>", "exit 1 when a bump is at or above")
        .choices(["breaking", "risky", "never"])
        .default("never"),
    )
    .optionsGroup("Sources of evidence:")
    .option("--registry <url>", "npm registry URL (default: from .npmrc, as npm does)", registryUrl)
    .option("--index-url <url>", "Python package index (default: UV_INDEX_URL, PIP_INDEX_URL, pyproject, uv.toml, pip.conf, else PyPI)", registryUrl)
    .option("--offline", "use only the cache; no network", false)
    .option("--no-cache", "neither read nor write the cache")
    .option("--concurrency <n>", "packages checked at once (connections per registry host are capped at 4)", positiveInteger, 16)
    .option("--request-timeout <seconds>", "how long one registry request may take; a failed request is retried once, and a host that failed 3 times is not retried again (unless .npmrc sets fetch-retries)", boundedSeconds(600), 30)
    .option("--no-notes", "do not fetch release notes (contract analysis only)")
    .option("--no-github", "do not ask GitHub for release notes (the package's own archive only: npm tarball, Python sdist)")
    .option("--no-api-diff", "do not compare the published type declarations of direct dependencies")
    .option("--api-budget <seconds>", "a safety net: how long one package's type comparison (and typecheck of your code) may take before it stops, says so, and is completed by a re-run; what is compared is bounded by work, not time", positiveInteger, 20)
    .optionsGroup("Claude:")
    .addOption(new Option("--llm <mode>", "ask Claude: auto (when ANTHROPIC_API_KEY is set), anthropic, off").choices(["auto", "anthropic", "off"]).default("auto"))
    .option("--model <model>", "Claude model", defaultModel)
    .option("--max-cost <usd>", "stop asking Claude once the estimated cost reaches this", nonNegativeNumber)
    .option("--llm-timeout <seconds>", "how long one Claude reply may take (at most 3600)", boundedSeconds(3600), 120)
    .option("--batch", "send the uncached bumps through the Message Batches API (half price, slower)", false)
    .optionsGroup("Upgrade branch, tests and pull requests:")
    .option("--branch [name]", "build an upgrade branch in a separate git worktree (default name bumpwise/YYYY-MM-DD)")
    .option("--force", "replace an existing branch of that name", false)
    .addOption(new Option("--apply <which>", "bumps on the branch: safe (not breaking, or breaking with validated edits) or all").choices(["safe", "all"]).default("safe"))
    .option("--allow-builds", "let a Python tool build a package (run its build backend) when locking a release the index has no wheel of; off: such a bump is left off the branch", false)
    .option("--verify <command>", "run the project's tests with the bumps (install with scripts off, then the command) and bisect failures")
    .option("--verify-timeout <seconds>", "how long one test run may take", positiveInteger, 900)
    .option("--pr", "push the branch and open or update its pull request (needs GITHUB_TOKEN)", false)
    .option("--comment", "post the review as one comment on the pull request (updated on every run, never a second) and set the `bumpwise` commit status by --fail-on (needs GITHUB_TOKEN)", false)
    .option("--pr-number <n>", "the pull request --comment is for (default: from GITHUB_EVENT_PATH in a pull_request workflow)", positiveInteger)
    .option("--repo <owner/name>", "GitHub repository (default: $GITHUB_REPOSITORY, else the origin remote)")
    .option("--github-api-url <url>", "GitHub API base URL (default: $GITHUB_API_URL, else api.github.com)")
    .optionsGroup("Other:")
    .option("--debug", "print stack traces on failure", false)
    .addHelpText("after", reviewHelp)
    .action(async (dir: string, flags: ReviewFlags & { debug: boolean }) => {
      debug = flags.debug;
      // Commands load their modules when they run, so `bumpwise --help` and small runs start fast.
      const { runReview } = await import("./review-command.js");
      exitCode = await runReview(dir, flags, io);
    });

  program
    .command("explain")
    .description("review one bump without a lockfile: sources tried, notes per version, signals")
    .argument("<package>", "package name")
    .argument("<from>", "the version you have")
    .argument("<to>", "the version you would move to (same major)")
    .option("--json", "print the bump as JSON, shaped like an entry of the review report's bumps[]", false)
    .option("--ecosystem <name>", `${Object.keys(ecosystems).join(" or ")} (default: ${explainDefault})`, ecosystemName, explainDefault)
    .option("--registry <url>", "npm registry URL (default: from .npmrc, as npm does)")
    .option("--index-url <url>", "Python package index (default: UV_INDEX_URL, PIP_INDEX_URL, pyproject, uv.toml, pip.conf, else PyPI)", registryUrl)
    .option("--offline", "use only the cache; no network", false)
    .option("--no-cache", "neither read nor write the cache")
    .option("--no-github", "do not ask GitHub for release notes (the package's own archive only: npm tarball, Python sdist)")
    .option("--no-api-diff", "do not compare the published type declarations")
    .option("--github-api-url <url>", "GitHub API base URL (default: $GITHUB_API_URL, else api.github.com)")
    .option("--debug", "print stack traces on failure", false)
    .action(async (name: string, from: string, to: string, flags: ExplainFlags & { debug: boolean }) => {
      debug = flags.debug;
      const { runExplain } = await import("./explain-command.js");
      exitCode = await runExplain(name, from, to, flags, io);
    });

  program
    .command("init")
    .description("set bumpwise up in a repository")
    .command("ci")
    .description("write .github/workflows/bumpwise.yml (a weekly review that opens a pull request) and bumpwise-pr.yml (a review comment on each pull request that changes a lockfile)")
    .argument("[dir]", "the project (its workflows go to the root of the git repository that holds it)", ".")
    .option("--project <dir>", "the project's folder, for a repository with several (same as [dir])")
    .option("--ecosystem <name>", "npm or pypi (default: from the lockfiles in the project)", ecosystemName)
    .option("--schedule", "only the weekly workflow", false)
    .option("--pull-requests", "only the pull request workflow", false)
    .option("--action <owner/repo@sha>", "the bumpwise action the workflows run, pinned by commit (default: the repository and commit this bumpwise was published from)")
    .option("--force", "replace an existing workflow file", false)
    .action(async (dir: string, flags: import("./init-command.js").InitCiFlags) => {
      const { runInitCi } = await import("./init-command.js");
      exitCode = await runInitCi(dir, flags, io);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    return failure(error, io, debug);
  }
}

function failure(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.input;
  }
  if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InputError) {
    io.stderr.write(`bumpwise: ${message}\n`);
    return exitCodes.input;
  }
  // A registry or index failure outside a per-package step (explain's one package) is still one line.
  if (error instanceof RuntimeFailure || error instanceof RegistryError) {
    io.stderr.write(`bumpwise: ${message}\n`);
    return exitCodes.runtime;
  }
  io.stderr.write(`bumpwise: unexpected failure: ${message}${debug ? "" : " (run with --debug for details)"}\n`);
  return exitCodes.runtime;
}

function ecosystemName(value: string): Ecosystem {
  const known = Object.keys(ecosystems) as Ecosystem[];
  const found = known.find((id) => id === value);
  if (found) return found;
  throw new InvalidArgumentError(`expected ${known.join(" or ")}`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function nonNegative(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError("expected a number of days ≥ 0");
  return number;
}

function pastDate(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected a date as YYYY-MM-DD");
  return date;
}

function nonNegativeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError("expected a number ≥ 0");
  return number;
}

// npm warns and falls back on a registry without a scheme; a review against the wrong registry is worse than none.
function registryUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) throw new InvalidArgumentError(url ? `expected an http(s) URL, not ${url.protocol}` : `expected an http(s) URL such as https://${redactUserinfo(`https://${value.replace(/^\/+/, "")}`).slice("https://".length)}`);
  return value;
}

function boundedSeconds(max: number): (value: string) => number {
  return (value) => {
    const seconds = positiveInteger(value);
    if (seconds > max) throw new InvalidArgumentError(`expected at most ${max} seconds`);
    return seconds;
  };
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return number;
}

const reviewHelp = `
Examples:
  bumpwise review                                  this folder's project: minor and patch bumps of direct dependencies
  bumpwise review path/to/app --fail-on breaking   exit 1 when a bump breaks the project (CI)
  bumpwise review --base origin/main --comment     a pull request's lockfile change, as one PR comment and a status
  bumpwise review --branch --verify "npm test"     an upgrade branch; the tests run before and with the bumps

Exit codes:
  0  the review ran (nothing at or above --fail-on)
  1  a bump is at or above --fail-on
  2  usage or input error (bad flag, no lockfile, a lockfile out of sync…)
  3  runtime failure (no package could be checked; the branch, PR or comment could not be made)
  130, 143  interrupted; temporary branches and worktrees removed
`;
