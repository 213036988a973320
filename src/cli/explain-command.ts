import { ecosystems } from "../ecosystems/index.js";
import { versionsBetween } from "../versioning.js";
import { registryFlag } from "./registry-flag.js";
import { InputError } from "../errors.js";
import { RegistryError } from "../registry/contract.js";
import { defaultCacheDir, noCache, openCache } from "../registry/cache.js";
import { renderExplanation } from "../report/explain.js";
import { reviewBump } from "../review/bump.js";
import type { Bump, Ecosystem } from "../types.js";
import { type CliIo, exitCodes } from "./io.js";

export interface ExplainFlags {
  json: boolean;
  /** npm (default) or pypi. */
  ecosystem: Ecosystem;
  registry?: string;
  indexUrl?: string;
  offline: boolean;
  cache: boolean;
  github: boolean;
  apiDiff: boolean;
  githubApiUrl?: string;
}

/** Reviews one bump without a lockfile: sources tried, notes per version, what is missing, signals. */
export async function runExplain(name: string, fromArgument: string, toArgument: string, flags: ExplainFlags, io: CliIo): Promise<number> {
  const plugin = await ecosystems[flags.ecosystem].load();
  const cache = flags.cache ? openCache(defaultCacheDir(io.env)) : noCache;
  const registryUrl = registryFlag(plugin.describe, flags);
  const run = await plugin.open({
    projectDir: io.cwd,
    env: io.env,
    ...(registryUrl ? { registryUrl } : {}),
    offline: flags.offline,
    cache,
    maxConnections: 4,
    notes: { github: flags.github, githubApiUrl: flags.githubApiUrl },
    ...(flags.apiDiff ? { api: {} } : {}),
  });
  try {
    const { versioning, registry } = run.review;
    // A tag name (v1.2.3) names its version.
    const [from, to] = [fromArgument, toArgument].map((version) => (/^[vV]\d/.test(version) && versioning.normalise(version.slice(1)) !== null ? version.slice(1) : version)) as [string, string];
    for (const version of [from, to]) {
      if (versioning.normalise(version) === null) throw new InputError(`"${version}" is not a ${plugin.describe.versionHint}`);
    }
    if (versioning.compare(to, from) <= 0) throw new InputError(`${to} is not newer than ${from}`);
    let history: Awaited<ReturnType<typeof registry.packument>> | undefined;
    let notFound = "";
    try {
      history = await registry.packument(name, [from]);
    } catch (error) {
      if (!(error instanceof RegistryError && (error.code === "not-found" || error.code === "unauthorized"))) throw error;
      if (error.code === "unauthorized") throw new InputError(error.message);
      notFound = error.message;
    }
    const unpublished = [from, to].find((version) => !history?.versions[version]);
    if (!history || unpublished) {
      const elsewhere = flags.offline ? undefined : await otherEcosystemWith(name, [from, to], flags.ecosystem, io);
      const hint = elsewhere ? `; ${name} ${from} and ${to} are on the ${elsewhere.registryName}: pass --ecosystem ${elsewhere.ecosystem}` : "";
      throw new InputError(`${history ? `${plugin.describe.release(name, unpublished ?? to)} is not published` : notFound}${hint}`);
    }
    const bump: Bump = {
      name,
      from,
      to,
      type: versioning.bumpType(from, to),
      direct: true,
      dev: false,
      importers: [],
      versionsInBetween: versionsBetween(versioning, Object.keys(history.versions), from, to),
    };
    const review = await reviewBump(bump, history, { ecosystem: run.review, ...(run.notes ? { notes: run.notes.collector } : {}) });
    await cache.flush();
    io.stdout.write(flags.json ? `${JSON.stringify(review, null, 2)}\n` : renderExplanation(review, run.notes?.note()));
    return exitCodes.ok;
  } finally {
    await run.close();
  }
}

// A name looked up in the wrong ecosystem (`explain fastapi` without --ecosystem pypi): the other
// ecosystems' registries are asked for both versions, and the first that has them is named.
async function otherEcosystemWith(name: string, versions: string[], asked: Ecosystem, io: CliIo): Promise<{ ecosystem: Ecosystem; registryName: string } | undefined> {
  for (const [ecosystem, entry] of Object.entries(ecosystems) as [Ecosystem, (typeof ecosystems)[Ecosystem]][]) {
    if (ecosystem === asked) continue;
    const plugin = await entry.load();
    const run = await plugin.open({ projectDir: io.cwd, env: io.env, offline: false, cache: noCache, maxConnections: 2 });
    try {
      const history = await run.review.registry.packument(name, versions.slice(0, 1));
      if (versions.every((version) => history.versions[version])) return { ecosystem, registryName: plugin.describe.registryName };
    } catch {
      // Not there, or not reachable: no hint from this one.
    } finally {
      await run.close();
    }
  }
  return undefined;
}
