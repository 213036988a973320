import npa from "npm-package-arg";
import npmFetch from "npm-registry-fetch";
import { describeSchemaError } from "../schema.js";
import type { JsonCache } from "./cache.js";
import type { RegistryOptions } from "./config.js";
import { type PackageHistory, packumentSchema, toPackageHistory } from "./packument.js";

export type RegistryErrorCode =
  | "not-found"
  | "unauthorized"
  | "server-error"
  | "timeout"
  | "network"
  | "offline"
  | "invalid";

/** A failure for one package; the review records it and goes on. */
export class RegistryError extends Error {
  override name = "RegistryError";
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RegistryClient {
  packument(name: string): Promise<PackageHistory>;
  /** Counts since the client was made: what the cache saved. */
  readonly stats: { downloaded: number; revalidated: number; fromCache: number };
}

export interface NpmRegistryOptions {
  options: RegistryOptions;
  cache: JsonCache;
  /** Answer from the cache only. */
  offline?: boolean;
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

const defaultMaxAgeSeconds = 300;

export function createNpmRegistry(setup: NpmRegistryOptions): RegistryClient {
  const now = setup.now ?? Date.now;
  const stats = { downloaded: 0, revalidated: 0, fromCache: 0 };

  async function packument(name: string): Promise<PackageHistory> {
    const registry = npmFetch.pickRegistry(name, setup.options);
    const key = `packument:v1:${registry}:${name}`;
    const cached = await setup.cache.get<CachedPackument>(key);
    if (cached && (setup.offline || now() - cached.fetchedAt < cached.maxAge * 1000)) {
      stats.fromCache++;
      return cached.history;
    }
    if (setup.offline) throw new RegistryError("offline", `${name} is not in the cache and --offline is set`);

    const headers: Record<string, string> = { accept: "application/json" };
    if (cached?.etag) headers["if-none-match"] = cached.etag;
    if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
    const response = await request(name, headers);
    const maxAge = parseMaxAge(response.headers.get("cache-control"));
    if (response.status === 304 && cached) {
      stats.revalidated++;
      await setup.cache.put(key, { ...cached, fetchedAt: now(), maxAge });
      return cached.history;
    }
    const history = await parsePackument(name, response);
    stats.downloaded++;
    const entry: CachedPackument = { fetchedAt: now(), maxAge, history };
    const etag = response.headers.get("etag");
    const lastModified = response.headers.get("last-modified");
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    await setup.cache.put(key, entry);
    return history;
  }

  async function request(name: string, headers: Record<string, string>) {
    try {
      return await npmFetch(`/${npa(name).escapedName}`, {
        ...setup.options,
        spec: name,
        headers,
        timeout: setup.timeoutMs ?? 30_000,
      });
    } catch (error) {
      throw toRegistryError(name, error);
    }
  }

  return { packument, stats };
}

async function parsePackument(name: string, response: Awaited<ReturnType<typeof npmFetch>>): Promise<PackageHistory> {
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw toRegistryError(name, error);
  }
  const parsed = packumentSchema.safeParse(json);
  if (!parsed.success) {
    throw new RegistryError(
      "invalid",
      `the registry's answer for ${name} is not a packument (${describeSchemaError(parsed.error)})`,
    );
  }
  return toPackageHistory(parsed.data);
}

function toRegistryError(name: string, error: unknown): RegistryError {
  const { statusCode, code, type } = error as { statusCode?: number; code?: string; type?: string };
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
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new RegistryError("network", `cannot reach the registry for ${name} (${detail})`);
}

function parseMaxAge(cacheControl: string | null): number {
  const match = cacheControl?.match(/max-age=(\d+)/);
  return match ? Number(match[1]) : defaultMaxAgeSeconds;
}
