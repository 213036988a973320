import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type JsonCache, openCache } from "../../../../src/registry/cache.js";
import { loadRegistryOptions } from "../../../../src/ecosystems/npm/registry/config.js";
import { type RegistryClient, RegistryError } from "../../../../src/registry/contract.js";
import { createNpmRegistry } from "../../../../src/ecosystems/npm/registry/npm.js";
import { type FakeRegistry, startFakeRegistry } from "../../../helpers/fake-registry.js";

// npm's own default retries wait 10 s between attempts; the tests ask for none, as a user could in .npmrc.
const quickEnv = { npm_config_fetch_retries: "0", HOME: os.tmpdir() };

let registry: FakeRegistry;
let projectDir: string;
let cacheDir: string;

beforeEach(async () => {
  registry = await startFakeRegistry();
  projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
});
afterEach(() => registry.close());

let cache: JsonCache | undefined;

// Each call is a new run over the same cache directory, after the previous run's writes landed.
async function client(extra: { offline?: boolean; timeoutMs?: number; now?: () => number } = {}): Promise<RegistryClient> {
  await cache?.flush();
  cache = openCache(cacheDir);
  const options = await loadRegistryOptions({ projectDir, registry: registry.url, env: quickEnv });
  return createNpmRegistry({ options, cache, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe("packuments", () => {
  it("fetches a full packument and keeps every version, deprecation and date", async () => {
    const history = await (await client()).packument("express");
    expect(history.name).toBe("express");
    expect(history.versions["4.18.2"]).toEqual({ version: "4.18.2" });
    expect(history.time["4.18.2"]).toMatch(/^\d{4}-\d\d-\d\d/);
    expect(Object.keys(history.versions).length).toBeGreaterThan(50);
    expect(registry.requests).toHaveLength(1);
    expect(registry.requests[0]?.headers.accept).toBe("application/json");
  });

  it("keeps the installed version's manifest and each line's newest from the same download", async () => {
    const npm = await client();
    await npm.packument("express", ["4.18.2"]);
    const from = await npm.manifest("express", "4.18.2");
    const newestOf418 = await npm.manifest("express", "4.18.3");
    expect(from).toMatchObject({ version: "4.18.2", engines: { node: ">= 0.10.0" } });
    expect(newestOf418.version).toBe("4.18.3");
    expect(registry.requests.map((r) => r.url)).toEqual(["/express"]);
  });

  it("fetches any other version's own manifest once, then caches it", async () => {
    const npm = await client();
    await npm.packument("express", ["4.18.2"]);
    expect((await npm.manifest("express", "4.18.1")).version).toBe("4.18.1");
    expect((await (await client()).manifest("express", "4.18.1")).version).toBe("4.18.1");
    expect(registry.requests.map((r) => r.url)).toEqual(["/express", "/express/4.18.1"]);
  });

  it("asks once a run for a packument wanted twice at once, or again before the cache write lands", async () => {
    const npm = await client();
    const [first, second] = await Promise.all([npm.packument("express"), npm.packument("express")]);
    const third = await npm.packument("express");
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(registry.requests.map((r) => r.url)).toEqual(["/express"]);
  });

  it("escapes scoped names in the URL", async () => {
    const history = await (await client()).packument("@sinclair/typebox");
    expect(history.versions["0.31.0"]).toBeDefined();
    expect(registry.requests[0]?.url).toBe("/@sinclair%2ftypebox");
  });

  it("a fresh cached copy makes no request; a stale one is revalidated with a 304", async () => {
    let clock = Date.now();
    await (await client({ now: () => clock })).packument("lodash");
    const warm = await client({ now: () => clock });
    await warm.packument("lodash");
    expect(registry.requests).toHaveLength(1);
    expect(warm.stats).toEqual({ downloaded: 0, revalidated: 0, fromCache: 1 });

    clock += 301_000;
    const stale = await client({ now: () => clock });
    const history = await stale.packument("lodash");
    expect(history.versions["4.17.21"]).toBeDefined();
    expect(registry.requests.map((r) => r.status)).toEqual([200, 304]);
    expect(registry.requests[1]?.headers["if-none-match"]).toMatch(/^"[0-9a-f]{40}"$/);
    expect(stale.stats).toEqual({ downloaded: 0, revalidated: 1, fromCache: 0 });
  });

  it("--offline answers from the cache and names what is missing", async () => {
    await (await client()).packument("debug");
    const offline = await client({ offline: true, now: () => Date.now() + 10 * 86_400_000 });
    expect((await offline.packument("debug")).name).toBe("debug");
    const missing = await failure(offline.packument("semver"));
    expect(missing.code).toBe("offline");
    expect(registry.requests).toHaveLength(1);
  });
});

describe("failures are per-package RegistryErrors", () => {
  it("404 unknown package", async () => {
    const error = await failure((await client()).packument("no-such-package-here"));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe("no-such-package-here is not on the registry (404)");
  });

  it("404 for a locked version the registry no longer lists names the version, not the package (vitesse's @unocss/eslint-config 66.6.1)", async () => {
    const npm = await client();
    await npm.packument("debug");
    const error = await failure(npm.manifest("debug", "4.3.99"));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe("debug@4.3.99 is not on the registry (404: unpublished, or never published there), though debug is");
  });

  it.each([401, 403])("%i private package without auth", async (status) => {
    registry.override("@private/pkg", { status });
    const error = await failure((await client()).packument("@private/pkg"));
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/check the auth token in \.npmrc/);
  });

  it("5xx", async () => {
    registry.override("express", { status: 503 });
    const error = await failure((await client()).packument("express"));
    expect(error).toMatchObject({ code: "server-error", message: "the registry failed on express (503)" });
  });

  it("timeout", async () => {
    registry.override("express", { hang: true });
    const error = await failure((await client({ timeoutMs: 300 })).packument("express"));
    expect(error.code).toBe("timeout");
  });

  it("an answer that is not a packument", async () => {
    registry.override("express", { status: 200, body: JSON.stringify({ hello: "world" }) });
    const error = await failure((await client()).packument("express"));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^the registry's answer for express is not a packument \(name: /);
  });

  it("a registry nobody listens on", async () => {
    const options = await loadRegistryOptions({ projectDir, registry: "http://127.0.0.1:9/", env: quickEnv });
    const error = await failure(createNpmRegistry({ options, cache: openCache(cacheDir) }).packument("express"));
    expect(error.code).toBe("network");
  });
});

describe(".npmrc is honoured as npm does", () => {
  it("a scoped registry with a token from the environment", async () => {
    const scoped = await startFakeRegistry({ requireToken: "s3cret" });
    try {
      scoped.publish("@corp/widgets", { name: "@corp/widgets", versions: { "1.0.0": { version: "1.0.0" } } });
      const host = new URL(scoped.url).host;
      await writeFile(
        path.join(projectDir, ".npmrc"),
        `@corp:registry=${scoped.url}scoped/\n//${host}/scoped/:_authToken=\${CORP_TOKEN}\n`,
      );
      const options = await loadRegistryOptions({
        projectDir,
        registry: registry.url,
        env: { ...quickEnv, CORP_TOKEN: "s3cret" },
      });
      const npm = createNpmRegistry({ options, cache: openCache(cacheDir) });
      expect((await npm.packument("@corp/widgets")).versions["1.0.0"]).toBeDefined();
      await npm.packument("lodash");
      expect(scoped.requests.map((r) => r.url)).toEqual(["/scoped/@corp%2fwidgets"]);
      expect(registry.requests.map((r) => r.url)).toEqual(["/lodash"]);
    } finally {
      await scoped.close();
    }
  });
});
