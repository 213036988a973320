import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPypiIndex } from "../../../src/ecosystems/pypi/index/client.js";
import { resolveIndex } from "../../../src/ecosystems/pypi/index/config.js";
import { type JsonCache, noCache, openCache } from "../../../src/registry/cache.js";
import { RegistryError } from "../../../src/registry/contract.js";
import { type FakeIndex, startFakeIndex } from "../../helpers/fake-pypi.js";

let index: FakeIndex | undefined;
afterEach(async () => {
  await index?.close();
  index = undefined;
});

async function client(options: Parameters<typeof startFakeIndex>[0] = {}, setup: { cache?: JsonCache; offline?: boolean; authorization?: string; now?: () => number } = {}) {
  index ??= await startFakeIndex(options);
  const cache = setup.cache ?? noCache;
  return createPypiIndex({ index: { url: index.url, source: "test", ...(setup.authorization ? { authorization: setup.authorization } : {}) }, cache, ...(setup.offline ? { offline: true } : {}), ...(setup.now ? { now: setup.now } : {}) });
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

const wheelRequests = (wheel: string) => index?.requests.filter((request) => request.url.startsWith(`/files/${wheel}`)) ?? [];

describe("PyPI: the Simple API's JSON (PEP 691) for the plan, the wheels for each release", () => {
  it("every release with its first upload time, yanks with their reason, requires_python per version", async () => {
    const pypi = await client();
    const history = await pypi.packument("pytest");
    expect(history.versions["8.1.0"]).toEqual({ version: "8.1.0", yanked: "See https://github.com/pytest-dev/pytest/issues/12069", runtime: ">=3.8" });
    expect(history.versions["8.4.2"]).toEqual({ version: "8.4.2", runtime: ">=3.9" });
    expect(history.time["8.4.2"]).toMatch(/^2025-\d\d-\d\dT/);
  });

  it("per-version metadata from the wheel, no per-version JSON asked: Requires-Dist, extras, import names, repository", async () => {
    const pypi = await client();
    const release = await pypi.manifest("fastapi", "0.65.2");
    expect(release.metadataFrom).toBe("wheel");
    expect(release.requiresDist).toContain("starlette ==0.14.2");
    expect(release.providesExtra).toEqual(["all", "dev", "doc", "test"]);
    expect(release.requiresPython).toBe(">=3.6");
    expect(release.topLevel).toEqual(["fastapi"]);
    expect(release.repository).toMatch(/^https:\/\/github\.com\/(tiangolo|fastapi)\/fastapi/);
    // google-auth installs into the `google` namespace: its modules are google.auth and google.oauth2.
    expect((await pypi.manifest("Google_Auth", "2.41.1")).topLevel).toEqual(["google.auth", "google.oauth2"]);
    expect(index?.requests.filter((request) => request.url.startsWith("/pypi/"))).toEqual([]);
  });

  it("a wheel's metadata is read from its .metadata file in one request, its modules from one read of the wheel's tail", async () => {
    const pypi = await client();
    const release = await pypi.manifest("httpx", "0.28.1");
    expect(release).toMatchObject({ metadataFrom: "wheel", topLevel: ["httpx"], repository: "https://github.com/encode/httpx" });
    expect(release.requiresDist).toContain("httpcore==1.*");
    expect(wheelRequests("httpx-0.28.1-py3-none-any.whl").map((request) => [request.url.replace(/^.*\.whl/, ".whl"), request.range ?? "", request.status])).toEqual(
      expect.arrayContaining([[".whl.metadata", "", 200], [".whl", "bytes=-65536", 206]]),
    );
    expect(wheelRequests("httpx-0.28.1-py3-none-any.whl")).toHaveLength(2);
    // fastapi 0.128.8 writes METADATA first and RECORD last (97 KB apart): METADATA comes from its file, RECORD from the tail.
    await pypi.manifest("fastapi", "0.128.8");
    expect(wheelRequests("fastapi-0.128.8-py3-none-any.whl")).toHaveLength(2);
  });

  it("without a .metadata file listed, METADATA is read from the wheel: the tail, then one range reaching back to it", async () => {
    index = await startFakeIndex({ noCoreMetadata: true });
    const pypi = await client();
    const fastapi = await pypi.manifest("fastapi", "0.128.8");
    expect(fastapi).toMatchObject({ metadataFrom: "wheel", topLevel: ["fastapi"], repository: "https://github.com/fastapi/fastapi" });
    const reads = wheelRequests("fastapi-0.128.8-py3-none-any.whl");
    expect(reads.map((request) => request.range)).toEqual(["bytes=-65536", expect.stringMatching(/^bytes=0-\d+$/)]);
    expect(index.requests.some((request) => request.url.endsWith(".metadata"))).toBe(false);
    // A small wheel's dist-info lies in its tail: one request.
    await pypi.manifest("httpx", "0.28.1");
    expect(wheelRequests("httpx-0.28.1-py3-none-any.whl")).toHaveLength(1);
  });

  it("a .metadata file that does not match the sha256 the index lists is not used: METADATA comes from the wheel", async () => {
    const pypi = await client();
    index?.override("/files/httpx-0.28.1-py3-none-any.whl.metadata", { status: 200, body: "Metadata-Version: 2.1\nName: httpx\nRequires-Dist: evil\n", contentType: "application/octet-stream" });
    const release = await pypi.manifest("httpx", "0.28.1");
    expect(release.requiresDist).toContain("httpcore==1.*");
    expect(release.requiresDist).not.toContain("evil");
  });

  it("a wheel is read by range (its tail: central directory and dist-info entries), or whole from a server without ranges", async () => {
    const ranged = await client();
    const viaRanges = await ranged.manifest("httpx", "0.28.1");
    const fileRequests = index?.requests.filter((request) => request.url.startsWith("/files/") && !request.url.endsWith(".metadata")) ?? [];
    expect(fileRequests.map((request) => request.status)).toEqual(fileRequests.map(() => 206));
    expect(fileRequests[0]?.range).toBe("bytes=-65536");
    await index?.close();
    index = await startFakeIndex({ noRanges: true });
    const whole = await client();
    const fromWhole = await whole.manifest("httpx", "0.28.1");
    expect({ ...fromWhole, files: [], tarball: "" }).toEqual({ ...viaRanges, files: [], tarball: "" });
    expect(viaRanges).toMatchObject({ metadataFrom: "wheel", topLevel: ["httpx"] });
    expect(viaRanges.requiresDist).toContain("httpcore==1.*");
  });

  it("a package the index does not have, a 5xx, HTML where JSON belongs, a 401: each its own error", async () => {
    const pypi = await client();
    expect(await failure(pypi.packument("no-such-package"))).toMatchObject({ code: "not-found" });
    index?.override("/simple/httpx/", { status: 503 });
    expect(await failure(pypi.packument("httpx"))).toMatchObject({ code: "server-error", message: "the index answered 503 for httpx" });
    // A sign-in page on both APIs.
    index?.override("/simple/pyyaml/", { status: 200, body: "<!doctype html><p>Log in</p>" });
    index?.override("/pypi/pyyaml/", { status: 200, body: "<!doctype html><p>Log in</p>" });
    expect(await failure(pypi.packument("pyyaml"))).toMatchObject({ code: "invalid", message: "the index answered HTML instead of JSON for pyyaml" });
    index?.override("/simple/pytest/", { status: 401 });
    expect(await failure(pypi.packument("pytest"))).toMatchObject({ code: "unauthorized" });
  });

  it("a file URL from the index may not choose its scheme", async () => {
    const pypi = await client();
    const release = { filename: "evil-1.0-py3-none-any.whl", packagetype: "bdist_wheel", url: "file:///etc/passwd", yanked: false, upload_time_iso_8601: "2024-01-01T00:00:00Z" };
    index?.override("/pypi/evil/json", { status: 200, contentType: "application/json", body: JSON.stringify({ info: { name: "evil" }, releases: { "1.0": [release] } }) });
    // Refused before any request; the release is reviewed without the wheel's metadata, and says why.
    expect(await pypi.manifest("evil", "1.0")).toMatchObject({ metadataFrom: "none", metadataError: "the index gives evil a file: URL; only https: or http: is fetched" });
  });
});

describe("indexes without the JSON API or without the Simple API's JSON, credentials, the cache", () => {
  it("an index whose Simple API answers in HTML only is read through the JSON API, with the same versions", async () => {
    const pypi = await client();
    const fromSimple = await pypi.packument("pytest");
    index?.override("/simple/httpx/", { status: 200, body: "<!DOCTYPE html><html><body></body></html>", contentType: "text/html" });
    const fromJson = await pypi.packument("httpx");
    expect(index?.requests.map((request) => request.url)).toEqual(["/simple/pytest/", "/simple/httpx/", "/pypi/httpx/json"]);
    expect(Object.keys(fromJson.versions).length).toBeGreaterThan(50);
    expect(fromSimple.versions["8.4.2"]).toEqual({ version: "8.4.2", runtime: ">=3.9" });
  });

  it("the Simple API (PEP 691 JSON) gives the same versions, yanks and requires-python", async () => {
    const pypi = await client({ simpleOnly: true });
    const history = await pypi.packument("pytest");
    expect(history.versions["8.1.0"]?.yanked).toBe("See https://github.com/pytest-dev/pytest/issues/12069");
    expect(Object.keys(history.versions)).toHaveLength(Object.keys(await (async () => {
      const json = await startFakeIndex();
      try {
        return (await createPypiIndex({ index: { url: json.url, source: "test" }, cache: noCache }).packument("pytest")).versions;
      } finally {
        await json.close();
      }
    })()).length);
    expect((await pypi.manifest("pytest", "8.4.2")).metadataFrom).toBe("wheel");
  });

  it("credentials go to the index as Basic auth, from the URL or UV_INDEX_<NAME>_*, and never into the index URL shown", async () => {
    const pypi = await client({ credentials: "ci:s3cret" }, { authorization: `Basic ${Buffer.from("ci:s3cret").toString("base64")}` });
    expect(Object.keys((await pypi.packument("httpx")).versions).length).toBeGreaterThan(50);
    expect(index?.requests.every((request) => request.status !== 401)).toBe(true);
    const fromUrl = await resolveIndex({ projectDir: os.tmpdir(), indexUrl: "https://ci:s3cret@pypi.example.com/simple/", env: {} });
    expect(fromUrl).toEqual({ url: "https://pypi.example.com/simple", source: "--index-url", authorization: `Basic ${Buffer.from("ci:s3cret").toString("base64")}` });
    // A Pipfile's first [[source]], its ${VARIABLES} filled from the environment, as pipenv reads it.
    const pipenvProject = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pipfile-"));
    await writeFile(path.join(pipenvProject, "Pipfile"), '[[source]]\nurl = "https://${PYPI_USER}:${PYPI_TOKEN}@pypi.example.com/simple"\nverify_ssl = true\nname = "internal"\n\n[packages]\nsix = "*"\n');
    const fromPipfile = await resolveIndex({ projectDir: pipenvProject, env: { PYPI_USER: "ci", PYPI_TOKEN: "s3cret" } });
    expect(fromPipfile).toEqual({ url: "https://pypi.example.com/simple", source: "[[source]] in the Pipfile", authorization: `Basic ${Buffer.from("ci:s3cret").toString("base64")}` });
    const unauthenticated = await client({ credentials: "ci:s3cret" });
    expect(await failure(unauthenticated.packument("fastapi"))).toMatchObject({ code: "unauthorized", message: "the index refused fastapi (401): check its credentials" });
  });

  it("answers from the cache while fresh, revalidates with the ETag, and --offline uses only the cache", async () => {
    const cache = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-pypi-cache-")));
    const first = await client({}, { cache });
    await first.packument("httpx");
    await cache.flush();
    const offline = await client({}, { cache, offline: true });
    expect(Object.keys((await offline.packument("httpx")).versions).length).toBeGreaterThan(50);
    expect(offline.stats).toMatchObject({ fromCache: 1, downloaded: 0 });
    expect(await failure(offline.packument("fastapi"))).toMatchObject({ code: "offline" });
    // Past the index's max-age (600 s): asked again with If-None-Match, answered 304.
    const later = await client({}, { cache, now: () => Date.now() + 700_000 });
    await later.packument("httpx");
    expect(later.stats).toMatchObject({ revalidated: 1, downloaded: 0 });
  });

  it("reads a project's files from the cache only when a release needs them, and downloads a project cached without them again", async () => {
    const store = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-pypi-cache-")));
    await (await client({}, { cache: store })).packument("httpx");
    await store.flush();
    const read: string[] = [];
    const watched = (hideFiles: boolean): JsonCache => ({
      ...store,
      get: async <T>(key: string) => {
        read.push(key.split(":")[0] ?? key);
        return hideFiles && /^pypi-(files|release):/.test(key) ? undefined : store.get<T>(key);
      },
    });
    const planning = await client({}, { cache: watched(false) });
    await planning.packument("httpx");
    expect(read).toEqual(["pypi-project"]);
    expect((await planning.manifest("httpx", "0.28.1")).files.length).toBeGreaterThan(0);
    expect(read).toContain("pypi-files");
    expect(planning.stats.downloaded).toBe(0);
    const cleared = await client({}, { cache: watched(true) });
    expect((await cleared.manifest("httpx", "0.28.1")).files.length).toBeGreaterThan(0);
    expect(cleared.stats.downloaded).toBe(1);
  });
});
