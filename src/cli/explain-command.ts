import semver from "semver";
import { InputError } from "../errors.js";
import { versionsBetween } from "../plan/index.js";
import { defaultCacheDir, noCache, openCache } from "../registry/cache.js";
import { loadRegistryOptions } from "../registry/config.js";
import { RegistryError } from "../registry/contract.js";
import { createNpmRegistry } from "../registry/npm.js";
import { renderExplanation } from "../report/explain.js";
import { reviewBump } from "../review/bump.js";
import type { Bump } from "../types.js";
import { type CliIo, exitCodes } from "./io.js";
import { releaseNotesSetup } from "./notes-setup.js";

export interface ExplainFlags {
  json: boolean;
  registry?: string;
  offline: boolean;
  cache: boolean;
  github: boolean;
  apiDiff: boolean;
  githubApiUrl?: string;
}

/** Reviews one bump without a lockfile: sources tried, notes per version, what is missing, signals. */
export async function runExplain(name: string, from: string, to: string, flags: ExplainFlags, io: CliIo): Promise<number> {
  for (const version of [from, to]) {
    if (!semver.valid(version)) throw new InputError(`"${version}" is not a version (expected x.y.z)`);
  }
  if (!semver.gt(to, from)) throw new InputError(`${to} is not newer than ${from}`);
  if (semver.major(to) !== semver.major(from)) {
    throw new InputError(`${from} → ${to} is a major upgrade; bumpwise explains minor and patch bumps`);
  }
  const options = await loadRegistryOptions({ projectDir: io.cwd, env: io.env, ...(flags.registry ? { registry: flags.registry } : {}) });
  const cacheDir = flags.cache ? defaultCacheDir(io.env) : undefined;
  const cache = cacheDir ? openCache(cacheDir) : noCache;
  const registry = createNpmRegistry({ options, cache, offline: flags.offline });
  const notes = releaseNotesSetup({ options, cache, cacheDir, offline: flags.offline, github: flags.github, githubApiUrl: flags.githubApiUrl, env: io.env });

  let history: Awaited<ReturnType<typeof registry.packument>>;
  try {
    history = await registry.packument(name, [from]);
  } catch (error) {
    if (error instanceof RegistryError && (error.code === "not-found" || error.code === "unauthorized")) throw new InputError(error.message);
    throw error;
  }
  for (const version of [from, to]) {
    if (!history.versions[version]) throw new InputError(`${name}@${version} is not published`);
  }
  const bump: Bump = {
    name,
    from,
    to,
    type: semver.minor(from) === semver.minor(to) ? "patch" : "minor",
    direct: true,
    dev: false,
    importers: [],
    versionsInBetween: versionsBetween(history, from, to),
  };
  const api = flags.apiDiff ? (await import("./api-setup.js")).apiDiffSetup({ options, registry, cache, cacheDir, offline: flags.offline }) : undefined;
  const review = await reviewBump(bump, history, { registry, notes: notes.collector, ...(api ? { api } : {}) }).finally(() => api?.analyzer.close());
  await cache.flush();
  io.stdout.write(flags.json ? `${JSON.stringify(review, null, 2)}\n` : renderExplanation(review, notes.note()));
  return exitCodes.ok;
}
