import type npmFetch from "npm-registry-fetch";
import semver from "semver";
import { ShapeError } from "../../../shape.js";
import type { JsonCache } from "../../../registry/cache.js";
import { connectionFailure } from "../../../registry/connection.js";
import type { RegistryOptions } from "./config.js";
import { type RegistryClient, RegistryError } from "../../../registry/contract.js";
import { type PackageHistory } from "../../../registry/contract.js";
import { scanPackument, trimManifest, type VersionManifest } from "./packument.js";

export interface NpmRegistryOptions {
  options: RegistryOptions;
  cache: JsonCache;
  /** Answer from the cache only. */
  offline?: boolean;
  /** One request's time limit (--request-timeout), unless .npmrc sets fetch-timeout. */
  timeoutMs?: number;
  now?: () => number;
}

interface CachedPackument {
  etag?: string;
  lastModified?: string;
  fetchedAt: number;
  /** The registry's Cache-Control max-age, in seconds: how long the copy is fresh without asking. */
  maxAge: number;
  history: PackageHistory;
}

/** A package the registry answered 404 for: not asked again while fresh (a missing `@types/x` is asked every run otherwise). */
interface CachedMissing {
  fetchedAt: number;
  maxAge: number;
  missing: string;
}

const defaultMaxAgeSeconds = 300;

// How long a 404 is believed: npmjs.org's own max-age for packuments.
const defaultMissingMaxAge = 300;

export function createNpmRegistry(setup: NpmRegistryOptions): RegistryClient<VersionManifest> {
  const now = setup.now ?? Date.now;
  const stats = { downloaded: 0, revalidated: 0, fromCache: 0 };
  // Manifests kept from the last full download of each package, one cache entry per package.
  const primed = new Map<string, Record<string, VersionManifest>>();
  const cacheKey = (kind: string, spec: string) => `${kind}:v2:${pickRegistry(spec, setup.options)}:${spec}`;

  // Asked once a run: two pairs loading the same dependency's declarations at once, or one after the
  // other before the first answer's cache write has landed, share one request (large-npm: 32 duplicates).
  const answered = new Map<string, Promise<PackageHistory>>();
  function packument(name: string, prime: readonly string[] = []): Promise<PackageHistory> {
    const asked = `${name} ${prime.join(" ")}`;
    let answer = answered.get(asked);
    if (!answer) answered.set(asked, (answer = fetchPackument(name, prime)));
    return answer;
  }

  async function fetchPackument(name: string, prime: readonly string[]): Promise<PackageHistory> {
    const key = cacheKey("packument", name);
    const known = await setup.cache.get<CachedPackument | CachedMissing>(key);
    if (known && "missing" in known && (setup.offline || now() - known.fetchedAt < known.maxAge * 1000)) throw new RegistryError("not-found", known.missing);
    const cached = known && "history" in known ? known : undefined;
    if (cached && (setup.offline || now() - cached.fetchedAt < cached.maxAge * 1000)) {
      stats.fromCache++;
      return cached.history;
    }
    if (setup.offline) throw new RegistryError("offline", `${name} is not in the cache and --offline is set`);

    const headers: Record<string, string> = { accept: "application/json" };
    if (cached?.etag) headers["if-none-match"] = cached.etag;
    if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
    const response = await request(name, "", headers).catch((error: unknown) => {
      if (error instanceof RegistryError && error.code === "not-found") setup.cache.put(key, { fetchedAt: now(), maxAge: defaultMissingMaxAge, missing: error.message } satisfies CachedMissing);
      throw error;
    });
    const maxAge = parseMaxAge(response.headers.get("cache-control"));
    if (response.status === 304 && cached) {
      stats.revalidated++;
      setup.cache.put(key, { ...cached, fetchedAt: now(), maxAge });
      return cached.history;
    }
    // Parsed and trimmed in one synchronous step so the full document (tens of MB for popular
    // packages) is garbage before the next await.
    const { history, kept } = digestPackument(name, await readBody(name, response), prime);
    primed.set(name, kept);
    setup.cache.put(cacheKey("manifests", name), kept);
    stats.downloaded++;
    const entry: CachedPackument = { fetchedAt: now(), maxAge, history };
    const etag = response.headers.get("etag");
    const lastModified = response.headers.get("last-modified");
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    setup.cache.put(key, entry);
    return history;
  }

  // A bump asks for its from and to manifests at once: the package's cached entry is read once for both.
  const priming = new Map<string, Promise<void>>();
  async function manifest(name: string, version: string): Promise<VersionManifest> {
    if (!primed.has(name)) {
      if (!priming.has(name)) priming.set(name, setup.cache.get<Record<string, VersionManifest>>(cacheKey("manifests", name)).then((kept) => void (primed.has(name) || primed.set(name, kept ?? {}))));
      await priming.get(name);
    }
    const fromPackument = primed.get(name)?.[version];
    if (fromPackument) return fromPackument;
    const key = cacheKey("manifest", `${name}@${version}`);
    const cached = await setup.cache.get<VersionManifest>(key);
    if (cached) return cached;
    if (setup.offline)
      throw new RegistryError("offline", `${name}@${version} is not in the cache and --offline is set`);
    const response = await request(name, `/${encodeURIComponent(version)}`, {
      accept: "application/json",
    }, version);
    const trimmed = trimManifest(version, await readJson(name, response));
    if (!trimmed) throw new RegistryError("invalid", `the registry's manifest of ${name}@${version} is malformed`);
    setup.cache.put(key, trimmed);
    return trimmed;
  }

  // npm's defaults (2 retries 10-60 s apart) made one hanging package cost 161 s and a 500 cost 72 s.
  // Unless the user configured retries: one quick retry, and none for a host that keeps failing.
  const failuresByHost = new Map<string, number>();
  function retryPolicy(registry: string): Record<string, unknown> {
    const timeout = { timeout: setup.timeoutMs ?? 30_000 };
    if (setup.options.retriesConfigured) return timeout;
    const failing = (failuresByHost.get(hostOf(registry)) ?? 0) >= failingHostAfter;
    return { ...timeout, retry: { retries: failing ? 0 : 1, factor: 2, minTimeout: 1_000, maxTimeout: 4_000 } };
  }

  // `below`: what follows the package's own path ("/1.2.3" for one version's manifest).
  // `version`: the version whose own document is asked for, named in a 404 (the package is there, that version is not).
  async function request(name: string, below: string, headers: Record<string, string>, version?: string) {
    // Loaded on the first request: a warm run inside max-age makes none.
    const [{ default: fetchFromRegistry }, { default: npa }] = await Promise.all([import("npm-registry-fetch"), import("npm-package-arg")]);
    try {
      return await fetchFromRegistry(`/${npa(name).escapedName}${below}`, { ...setup.options, ...retryPolicy(pickRegistry(name, setup.options)), spec: name, headers });
    } catch (error) {
      const failure = toRegistryError(name, error, version);
      if (failure.code === "timeout" || failure.code === "server-error" || failure.code === "network") {
        const host = hostOf(pickRegistry(name, setup.options));
        failuresByHost.set(host, (failuresByHost.get(host) ?? 0) + 1);
      }
      throw failure;
    }
  }

  return { packument, manifest, stats };
}

// Scanned, not parsed whole: see scan.ts. Synchronous, so the text is garbage before the next await.
function digestPackument(name: string, body: Buffer, prime: readonly string[]) {
  try {
    const { history, kept } = scanPackument(body, (versions) => likelyCompared(versions, prime));
    return { history, kept };
  } catch (error) {
    const detail = error instanceof ShapeError ? error.message : "not valid JSON";
    throw new RegistryError("invalid", `the registry's answer for ${name} is not a packument (${detail})`);
  }
}

// The installed versions and the newest of each major.minor line in their majors: the usual `from`
// and `to` of a minor or patch bump, kept so the common case needs no second request. Without installed
// versions (a dependency the API diff resolves by range), the newest of each line of every major.
function likelyCompared(versions: string[], prime: readonly string[]): string[] {
  const majors = new Set(prime.length > 0 ? prime.map((version) => semver.parse(version)?.major) : versions.map((version) => semver.parse(version)?.major));
  const newestPerLine = new Map<string, string>();
  for (const version of versions) {
    const parsed = semver.parse(version);
    if (!parsed || parsed.prerelease.length > 0 || !majors.has(parsed.major)) continue;
    const line = `${parsed.major}.${parsed.minor}`;
    const current = newestPerLine.get(line);
    if (!current || semver.gt(version, current)) newestPerLine.set(line, version);
  }
  return [...new Set([...prime.filter((version) => versions.includes(version)), ...newestPerLine.values()])];
}

async function readBody(name: string, response: Awaited<ReturnType<typeof npmFetch>>): Promise<Buffer> {
  try {
    return await response.buffer();
  } catch (error) {
    throw toRegistryError(name, error);
  }
}

async function readJson(name: string, response: Awaited<ReturnType<typeof npmFetch>>): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw toRegistryError(name, error);
  }
}

function toRegistryError(name: string, error: unknown, version?: string): RegistryError {
  const { statusCode, code, type } = error as { statusCode?: number; code?: string; type?: string };
  // vitesse's lockfile holds @unocss/eslint-config 66.6.1, which the registry no longer lists.
  if (statusCode === 404 && version !== undefined) return new RegistryError("not-found", `${name}@${version} is not on the registry (404: unpublished, or never published there), though ${name} is`);
  if (statusCode === 404) return new RegistryError("not-found", `${name} is not on the registry (404)`);
  if (statusCode === 401 || statusCode === 403) {
    return new RegistryError(
      "unauthorized",
      `the registry refused ${name} (${statusCode}): it may be private; check the auth token in .npmrc`,
    );
  }
  if (statusCode !== undefined && statusCode >= 500) {
    return new RegistryError("server-error", `the registry failed on ${name} (${statusCode})`);
  }
  if (statusCode !== undefined)
    return new RegistryError("server-error", `the registry answered ${statusCode} for ${name}`);
  if (type === "request-timeout" || code === "ERR_SOCKET_TIMEOUT" || code === "ETIMEDOUT" || type === "body-timeout") {
    return new RegistryError("timeout", `the registry did not answer for ${name} in time`);
  }
  if (type === "invalid-json" || error instanceof SyntaxError) {
    return new RegistryError("invalid", `the registry's answer for ${name} is not valid JSON`);
  }
  const detail = connectionFailure(error) ?? (error instanceof Error ? error.message : String(error));
  return new RegistryError("network", `cannot reach the registry for ${name} (${detail})`);
}

// After this many failed requests (timeouts, 5xx, network) a registry host gets no more retries this run.
const failingHostAfter = 3;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function parseMaxAge(cacheControl: string | null): number {
  const match = cacheControl?.match(/max-age=(\d+)/);
  return match ? Number(match[1]) : defaultMaxAgeSeconds;
}

/**
 * The registry a package comes from, as npm-registry-fetch's pickRegistry chooses it (without loading it):
 * the package's scope's `@scope:registry`, else the configured scope's, else `registry`.
 */
export function pickRegistry(name: string, options: RegistryOptions): string {
  const scopeRegistry = (scope: unknown) => (typeof scope === "string" && scope ? options[`${scope.replace(/^@?/, "@")}:registry`] : undefined);
  const own = name.startsWith("@") && name.includes("/") ? name.slice(0, name.indexOf("/")) : undefined;
  const registry = scopeRegistry(own) ?? scopeRegistry(options.scope);
  return typeof registry === "string" && registry ? registry : options.registry;
}
