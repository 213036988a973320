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
export async function runExplain(name: string, from: string, to: string, flags: ExplainFlags, io: CliIo): Promise<number> {
  const plugin = await ecosystems[flags.ecosystem].load();
  const cacheDir = flags.cache ? defaultCacheDir(io.env) : undefined;
  const cache = cacheDir ? openCache(cacheDir) : noCache;
  const registryUrl = registryFlag(plugin.describe, flags);
  const run = await plugin.open({
    projectDir: io.cwd,
    env: io.env,
    ...(registryUrl ? { registryUrl } : {}),
    offline: flags.offline,
    cache,
    cacheDir,
    maxConnections: 4,
    notes: { github: flags.github, githubApiUrl: flags.githubApiUrl },
    ...(flags.apiDiff ? { api: {} } : {}),
  });
  try {
    const { versioning, registry } = run.review;
    for (const version of [from, to]) {
      if (versioning.normalise(version) === null) throw new InputError(`"${version}" is not a ${plugin.describe.versionHint}`);
    }
    if (versioning.compare(to, from) <= 0) throw new InputError(`${to} is not newer than ${from}`);
    if (!versioning.inLine(from, to, "minor")) throw new InputError(`${from} → ${to} is a major upgrade; bumpwise explains minor and patch bumps`);
    let history: Awaited<ReturnType<typeof registry.packument>>;
    try {
      history = await registry.packument(name, [from]);
    } catch (error) {
      if (error instanceof RegistryError && (error.code === "not-found" || error.code === "unauthorized")) throw new InputError(error.message);
      throw error;
    }
    for (const version of [from, to]) {
      if (!history.versions[version]) throw new InputError(`${plugin.describe.release(name, version)} is not published`);
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
