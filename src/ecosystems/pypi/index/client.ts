import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { errorMessage } from "../../../errors.js";
import type { JsonCache } from "../../../registry/cache.js";
import { connectionFailure } from "../../../registry/connection.js";
import { type PublishedVersion, type RegistryClient, RegistryError } from "../../../registry/contract.js";
import type { PackageHistory } from "../../../registry/contract.js";
import { normaliseName } from "../names.js";
import type { PythonIndex } from "./config.js";
import { type DescriptionChangelog, parseCoreMetadata } from "./metadata.js";
import { type WantedMember, wheelEntries } from "./wheel.js";
import { megabytes, wheelLimits } from "../../../archives.js";
import type { PackageSurface } from "../api/surface.js";

/** One file of a release, as the index lists it. */
export interface ReleaseFile {
  filename: string;
  url: string;
  kind: "wheel" | "sdist";
  requiresPython?: string;
  yanked?: string;
  uploadTime?: string;
  /** The file's sha256 as the index lists it (JSON API `digests`, Simple API `hashes`). */
  sha256?: string;
  /** The index serves the wheel's METADATA beside it (PEP 658/714 `core-metadata`), with its sha256 when listed. */
  coreMetadata?: { sha256?: string };
}

/** A published Python release: the contract fields the rules compare, and its files. */
export interface PypiRelease extends PublishedVersion {
  requiresPython?: string;
  /** PEP 508 requirement strings, as `Requires-Dist` has them. */
  requiresDist: string[];
  providesExtra: string[];
  /** The top-level import names its wheel installs (`google-auth` → google); empty when unknown. */
  topLevel: string[];
  files: ReleaseFile[];
  /** Where the contract fields were read: the wheel's METADATA (its PEP 658 file, or inside the wheel), or the per-version JSON API. */
  metadataFrom: "json-api" | "wheel" | "none";
  /** Why the wheel could not be read, when it could not. */
  metadataError?: string;
  /** The changelog its long description carries, when it carries one (older projects append CHANGES to the README). */
  changelog?: DescriptionChangelog;
}

export interface PypiIndexSetup {
  index: PythonIndex;
  cache: JsonCache;
  offline?: boolean;
  timeoutMs?: number;
  now?: () => number;
  /** Largest wheel downloaded to read METADATA and RECORD. */
  maxWheelBytes?: number;
}

interface CachedProject {
  fetchedAt: number;
  maxAge: number;
  etag?: string;
  /** Which API answered (its ETag is sent only to it again). */
  api?: "simple" | "json";
  history: PackageHistory;
  /** The JSON API's project URLs and requires_dist of its latest version (a fallback for old releases). */
  projectUrls: [string, string][];
}

/** Every release's files. Cached apart from the project: planning needs only its history (aiohttp's files are 4 MB of JSON). */
type ProjectFiles = Record<string, ReleaseFile[]>;

const defaultMaxAgeSeconds = 300;
// PEP 691's own example: JSON preferred, HTML accepted (so an HTML-only index answers instead of 406).
const simpleJson = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/**
 * PyPI and compatible indexes: the JSON API (`/pypi/NAME/json`, `/pypi/NAME/VERSION/json`) where the
 * index has it, the Simple API (PEP 691 JSON) where it does not (most private indexes). Per-version
 * metadata an index does not serve is read from the release's wheel (METADATA, top_level.txt, RECORD).
 */
/** A Python index client: the registry contract plus the wheels' public API. */
export interface PypiIndex extends RegistryClient<PypiRelease> {
  readonly index: PythonIndex;
  surface(name: string, version: string): Promise<PackageSurface | { unavailable: string }>;
  /** The .py and .pyi files of a release's modules, read from its wheel, by path in the wheel. */
  sources(name: string, version: string): Promise<Map<string, string> | { unavailable: string; permanent?: boolean }>;
  /** Every file of a release with its sha256: the index's digest, else the file downloaded and hashed. */
  fileDigests(name: string, version: string): Promise<{ filename: string; sha256: string }[]>;
  /** The release's sdist (.tar.gz or .zip) as a byte stream, with the index's timeout; undefined when it has none. */
  sdist(name: string, version: string): Promise<SdistDownload | undefined>;
}

export interface SdistDownload {
  file: ReleaseFile;
  body: ReadableStream<Uint8Array>;
  /** Content-Length: a body shorter than this broke off (not the archive's fault). */
  bytes?: number;
}

export function createPypiIndex(setup: PypiIndexSetup): PypiIndex {
  const now = setup.now ?? Date.now;
  const stats = { downloaded: 0, revalidated: 0, fromCache: 0 };
  const projects = new Map<string, Promise<CachedProject>>();
  // The files of each project downloaded in this run; others are read from the cache when a release needs them.
  const downloadedFiles = new Map<string, ProjectFiles>();
  const base = setup.index.url.replace(/\/simple$/, "");
  const cacheKey = (kind: string, spec: string) => `${kind}:v4:${setup.index.url}:${spec}`;

  // `known: false` downloads the project whatever the cache holds (its files were missing from it).
  async function project(name: string, known = true): Promise<CachedProject> {
    const key = cacheKey("pypi-project", name);
    const cached = known ? await setup.cache.get<CachedProject>(key) : undefined;
    if (cached && (setup.offline || now() - cached.fetchedAt < cached.maxAge * 1000)) {
      stats.fromCache++;
      return cached;
    }
    // A name the index did not have a moment ago is not asked again within the same max-age.
    const missingKey = cacheKey("pypi-missing", name);
    const missing = known ? await setup.cache.get<{ at: number }>(missingKey) : undefined;
    if (missing && now() - missing.at < defaultMaxAgeSeconds * 1000) throw new RegistryError("not-found", `${name} is not on the index ${setup.index.url}`);
    if (setup.offline) throw new RegistryError("offline", `${name} is not in the cache and --offline is set`);
    // The Simple API (PEP 691 JSON) first: it lists the same versions, files, yanks, requires-python and
    // upload times in about half the bytes of the JSON API (boto3: 1.7 MB against 3.3 MB), and says which
    // wheels have a PEP 658 metadata file. The JSON API where the index answers the Simple API in HTML only.
    const simple = await get(name, `${setup.index.url}/${encodeURIComponent(name)}/`, simpleJson, cached?.api === "simple" ? cached.etag : undefined);
    const simpleIsJson = simple.status === 200 && /json/i.test(simple.headers.get("content-type") ?? "");
    let response = simple;
    let entry: CachedProject;
    if (simple.status === 304 && cached) {
      stats.revalidated++;
      entry = { ...cached, fetchedAt: now() };
    } else if (simpleIsJson) {
      entry = downloaded(name, fromSimpleApi(name, await readJson(name, simple), simple.url), "simple");
    } else {
      await simple.body?.cancel();
      response = await get(name, `${base}/pypi/${encodeURIComponent(name)}/json`, "application/json", cached?.api === "json" ? cached.etag : undefined);
      if (response.status === 404 && simple.status === 404) {
        setup.cache.put(missingKey, { at: now() });
        throw new RegistryError("not-found", `${name} is not on the index ${setup.index.url}`);
      }
      if (response.status === 404) throw new RegistryError("invalid", `the index answered HTML instead of JSON for ${name}`);
      if (response.status === 304 && cached) {
        stats.revalidated++;
        entry = { ...cached, fetchedAt: now() };
      } else entry = downloaded(name, fromJsonApi(name, await readJson(name, response), response.url), "json");
    }
    entry.fetchedAt = now();
    entry.maxAge = parseMaxAge(response.headers.get("cache-control"));
    const etag = response.headers.get("etag");
    if (etag) entry.etag = etag;
    setup.cache.put(key, entry);
    return entry;
  }

  function downloaded(name: string, { files, ...entry }: CachedProject & { files: ProjectFiles }, api: CachedProject["api"]): CachedProject {
    stats.downloaded++;
    entry.api = api;
    downloadedFiles.set(name, files);
    setup.cache.put(cacheKey("pypi-files", name), files);
    return entry;
  }

  const projectFiles = new Map<string, Promise<ProjectFiles>>();
  function filesOf(normal: string): Promise<ProjectFiles> {
    let found = projectFiles.get(normal);
    if (!found) {
      found = (async () => {
        await projectOnce(normal);
        const files = downloadedFiles.get(normal) ?? (await setup.cache.get<ProjectFiles>(cacheKey("pypi-files", normal)));
        if (files) return files;
        // The project was cached without its files (a cache cleared in part): downloaded again.
        await project(normal, false);
        return downloadedFiles.get(normal) ?? {};
      })();
      projectFiles.set(normal, found);
      found.catch(() => projectFiles.delete(normal));
    }
    return found;
  }

  function projectOnce(name: string): Promise<CachedProject> {
    const normal = normaliseName(name);
    let found = projects.get(normal);
    if (!found) {
      found = project(normal);
      projects.set(normal, found);
      found.catch(() => projects.delete(normal));
    }
    return found;
  }

  // A release is asked for by the review, the usage lookup, the prompt and the API diff: read once per run,
  // even with --no-cache (each read may download the wheel's central directory).
  const releases = new Map<string, Promise<PypiRelease>>();
  function manifestOnce(name: string, version: string): Promise<PypiRelease> {
    const key = `${normaliseName(name)}@${version}`;
    let found = releases.get(key);
    if (!found) {
      found = manifest(name, version);
      releases.set(key, found);
      found.catch(() => releases.delete(key));
    }
    return found;
  }

  async function manifest(name: string, version: string): Promise<PypiRelease> {
    const normal = normaliseName(name);
    // v2: the release carries its description's changelog.
    const key = cacheKey("pypi-release-v2", `${normal}@${version}`);
    const cached = await setup.cache.get<PypiRelease & { projectUrls?: [string, string][] }>(key);
    if (cached) return cached;
    const known = await projectOnce(normal);
    const files = (await filesOf(normal))[version] ?? [];
    if (!known.history.versions[version]) throw new RegistryError("not-found", `${normal} ${version} is not on the index`);
    const release: PypiRelease = { version, requiresDist: [], providesExtra: [], topLevel: [], files, metadataFrom: "none" };
    const summary = known.history.versions[version];
    if (summary?.yanked !== undefined) release.deprecated = summary.yanked || "yanked";
    const requiresPython = files.find((file) => file.requiresPython)?.requiresPython;
    if (requiresPython) release.requiresPython = requiresPython;
    const links = new Map(known.projectUrls);
    const wheel = pickWheel(files);
    // A wheel that cannot be read costs its metadata, not the bump: the rules that need it say so.
    const metadata = wheel ? await wheelMetadata(normal, version, wheel) : undefined;
    if (metadata?.error) release.metadataError = metadata.error;
    if (metadata) release.topLevel = metadata.topLevel;
    if (metadata?.text !== undefined) {
      const parsed = parseCoreMetadata(metadata.text);
      release.requiresDist = parsed.requiresDist;
      release.providesExtra = parsed.providesExtra;
      if (parsed.requiresPython) release.requiresPython = parsed.requiresPython;
      for (const [label, url] of parsed.projectUrls) links.set(label, url);
      if (parsed.homePage) release.homepage = parsed.homePage;
      // Home-page is where older releases name their repository (fastapi 0.65: github.com/tiangolo/fastapi).
      if (parsed.homePage && !links.has("Homepage")) links.set("Homepage", parsed.homePage);
      if (parsed.changelog) release.changelog = parsed.changelog;
      release.metadataFrom = "wheel";
    }
    // No wheel, or one that could not be read: the per-version JSON API, where the index has it.
    const fromApi = release.metadataFrom === "none" && !setup.offline ? await get(normal, `${base}/pypi/${encodeURIComponent(normal)}/${encodeURIComponent(version)}/json`, "application/json") : undefined;
    if (fromApi && fromApi.status === 200) {
      const info = record(record(await readJson(normal, fromApi)).info);
      release.requiresDist = stringList(info.requires_dist);
      release.providesExtra = stringList(info.provides_extra);
      if (typeof info.requires_python === "string" && info.requires_python) release.requiresPython = info.requires_python;
      for (const [label, url] of Object.entries(record(info.project_urls))) if (typeof url === "string") links.set(label, url);
      if (typeof info.home_page === "string" && info.home_page) release.homepage = info.home_page;
      if (typeof info.home_page === "string" && info.home_page && !links.has("Homepage")) links.set("Homepage", info.home_page);
      release.metadataFrom = "json-api";
    } else await fromApi?.body?.cancel();
    const repository = repositoryUrl(links);
    if (repository) release.repository = repository;
    const sdist = files.find((file) => file.kind === "sdist");
    if (sdist) release.tarball = sdist.url;
    setup.cache.put(key, release);
    return release;
  }

  /**
   * A wheel's METADATA and the modules it installs. METADATA from its PEP 658 file where the index
   * lists one (one request), read beside the wheel's tail (one request, a second when RECORD lies
   * before it), in parallel; from inside the wheel where the index lists none or the file fails.
   */
  // A wheel that cannot be read costs its metadata, not the bump: the rules that need it say so (`error`).
  async function wheelMetadata(name: string, version: string, wheel: ReleaseFile): Promise<{ text?: string; topLevel: string[]; error?: string }> {
    const separate = wheel.coreMetadata ? coreMetadataFile(name, version, wheel).catch(() => undefined) : undefined;
    const inside = wheelMembers(name, version, wheel, (file) => /^[^/]+\.dist-info\/RECORD$/.test(file) || (/^[^/]+\.dist-info\/(top_level\.txt|METADATA)$/.test(file) && "optional"), !separate);
    const [fromFile, members] = await Promise.all([separate, inside.catch((error: unknown) => ({ error: errorMessage(error) }))]);
    if ("error" in members) return { ...(fromFile !== undefined ? { text: fromFile } : {}), topLevel: [], error: members.error };
    let text = fromFile ?? members.get("METADATA");
    // Listed but not served (or not matching its sha256): read from the wheel after all.
    if (text === undefined && separate) {
      const again = await wheelMembers(name, version, wheel, (file) => /^[^/]+\.dist-info\/METADATA$/.test(file), true).catch((error: unknown) => ({ error: errorMessage(error) }));
      if ("error" in again) return { topLevel: topLevelNames(members.get("top_level.txt"), members.get("RECORD")), error: again.error };
      text = again.get("METADATA");
    }
    return { ...(text !== undefined ? { text } : {}), topLevel: topLevelNames(members.get("top_level.txt"), members.get("RECORD")) };
  }

  // `metadataRequired`: METADATA is read even when it lies apart from RECORD (no PEP 658 file to take it from).
  async function wheelMembers(name: string, version: string, wheel: ReleaseFile, wanted: WantedMember, metadataRequired: boolean): Promise<Map<string, string>> {
    const fetchRange = async (range: string) => {
      const response = await get(name, wheel.url, "application/octet-stream", undefined, range);
      if (response.status !== 200 && response.status !== 206) throw new RegistryError("not-found", `the wheel of ${name} ${version} is not on the index (${response.status})`);
      const total = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "")?.[1];
      return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), ...(total ? { total: Number(total) } : {}) };
    };
    const chosen: WantedMember = (file) => (metadataRequired && /^[^/]+\.dist-info\/METADATA$/.test(file) ? wanted(file) !== false : wanted(file));
    let files: Map<string, Uint8Array>;
    try {
      files = await wheelEntries(fetchRange, chosen, setup.maxWheelBytes ?? 40 * 1024 * 1024);
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError("invalid", `the wheel of ${name} ${version} could not be read: ${(error as Error).message}`);
    }
    // Keyed by the member's name in the dist-info folder ("METADATA", "RECORD", "top_level.txt").
    return new Map([...files].map(([file, bytes]) => [file.slice(file.lastIndexOf("/") + 1), new TextDecoder().decode(bytes)]));
  }

  // PEP 658/714: the wheel's METADATA at the wheel's URL + ".metadata", checked against the sha256 the index lists.
  async function coreMetadataFile(name: string, version: string, wheel: ReleaseFile): Promise<string | undefined> {
    const url = new URL(wheel.url);
    url.hash = "";
    url.pathname += ".metadata";
    const response = await get(name, url.toString(), "text/plain, */*");
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      return undefined;
    }
    const limit = wheelLimits.memberBytes;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > limit) throw new RegistryError("invalid", `the metadata file of ${name} ${version} is larger than ${megabytes(limit)}`);
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    if (wheel.coreMetadata?.sha256 && createHash("sha256").update(bytes).digest("hex") !== wheel.coreMetadata.sha256) return undefined;
    return new TextDecoder().decode(bytes);
  }

  // One quick retry for a timeout, a connection failure, a 429 or a 5xx (as for the npm registry); a host
  // that has failed this often gets none, so a dead index costs one timeout a package, not two.
  let failures = 0;
  async function get(name: string, url: string, accept: string, etag?: string, range?: string): Promise<Response> {
    try {
      return await getOnce(name, url, accept, etag, range);
    } catch (error) {
      if (!(error instanceof RegistryError) || !["timeout", "network", "server-error"].includes(error.code) || ++failures > failingIndexAfter) throw error;
      await sleep(retryDelayMs);
      return getOnce(name, url, accept, etag, range);
    }
  }

  async function getOnce(name: string, url: string, accept: string, etag?: string, range?: string): Promise<Response> {
    const target = safeUrl(name, url);
    const headers: Record<string, string> = { accept, "user-agent": "bumpwise" };
    if (etag) headers["if-none-match"] = etag;
    if (range) headers.range = range;
    // Credentials go only to the index's own host, never to a files host the index names.
    if (setup.index.authorization && target.host === new URL(setup.index.url).host) headers.authorization = setup.index.authorization;
    let response: Response;
    try {
      response = await fetch(target, { headers, redirect: "follow", signal: AbortSignal.timeout(setup.timeoutMs ?? 30_000) });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      const why = timedOut ? undefined : connectionFailure(error);
      throw new RegistryError(timedOut ? "timeout" : "network", `${timedOut ? "timed out asking" : "cannot reach"} the index for ${name} (${target.host}${why ? `: ${why}` : ""})`);
    }
    if (response.status === 401 || response.status === 403) throw new RegistryError("unauthorized", `the index refused ${name} (${response.status}): check its credentials`);
    if (response.status === 429) throw new RegistryError("server-error", `the index rate-limited the request for ${name} (429)`);
    if (response.status >= 500) throw new RegistryError("server-error", `the index answered ${response.status} for ${name}`);
    if (![200, 206, 304, 404].includes(response.status)) throw new RegistryError("invalid", `the index answered ${response.status} for ${name}`);
    return response;
  }

  function safeUrl(name: string, url: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new RegistryError("invalid", `the index gives ${name} a file URL that is not a URL`);
    }
    // A URL from an index answer may not choose its scheme: https, or http when the index itself is http.
    const allowed = new URL(setup.index.url).protocol === "http:" ? ["https:", "http:"] : ["https:"];
    if (!allowed.includes(target.protocol)) throw new RegistryError("invalid", `the index gives ${name} a ${target.protocol} URL; only ${allowed.join(" or ")} is fetched`);
    return target;
  }

  /** The public API of a release's modules, from its wheel's .py and .pyi files (downloaded whole, once). */
  async function surface(name: string, version: string): Promise<PackageSurface | { unavailable: string }> {
    const normal = normaliseName(name);
    const key = cacheKey(`pypi-surface-${surfaceVersion}`, `${normal}@${version}`);
    const cached = await setup.cache.get<PackageSurface | { unavailable: string }>(key);
    if (cached) return cached;
    const read = await sources(normal, version);
    // A published wheel does not change: one without sources (compiled modules only) is not downloaded again.
    if ("unavailable" in read) {
      if (read.permanent) setup.cache.put(key, { unavailable: read.unavailable });
      return { unavailable: read.unavailable };
    }
    const { packageSurface } = await import("../api/surface.js");
    const result = packageSurface(read);
    setup.cache.put(key, result);
    return result;
  }

  /** The .py and .pyi files of a release's modules, from its wheel (not cached: callers keep what they derive). */
  async function sources(name: string, version: string): Promise<Map<string, string> | { unavailable: string; permanent?: boolean }> {
    const normal = normaliseName(name);
    const release = await manifestOnce(normal, version);
    const wheel = pickWheel(release.files);
    if (!wheel) return { unavailable: `${normal} ${version} has no wheel` };
    const roots = release.topLevel.map((module) => module.split(".").join("/"));
    const wanted = (file: string) => /\.pyi?$/.test(file) && roots.some((root) => file === `${root}.py` || file === `${root}.pyi` || file.startsWith(`${root}/`));
    let files: Map<string, Uint8Array>;
    try {
      files = await wheelEntries(async () => {
        const response = await get(normal, wheel.url, "application/octet-stream");
        if (response.status !== 200) throw new RegistryError("not-found", `the wheel of ${normal} ${version} is not on the index (${response.status})`);
        return { status: 200, bytes: new Uint8Array(await response.arrayBuffer()) };
      }, wanted, setup.maxWheelBytes ?? 40 * 1024 * 1024);
    } catch (error) {
      return { unavailable: `the wheel of ${normal} ${version} could not be read: ${errorMessage(error)}` };
    }
    if (files.size === 0) return { unavailable: `the wheel of ${normal} ${version} has no Python sources for ${release.topLevel.join(", ") || "its modules"}`, permanent: true };
    return new Map([...files].map(([file, bytes]) => [file, new TextDecoder().decode(bytes)]));
  }

  async function fileDigests(name: string, version: string): Promise<{ filename: string; sha256: string }[]> {
    const normal = normaliseName(name);
    const files = (await filesOf(normal))[version];
    if (!files || files.length === 0) throw new RegistryError("not-found", `${normal} ${version} has no files on the index`);
    return Promise.all(files.map(async (file) => ({ filename: file.filename, sha256: file.sha256 ?? (await downloadDigest(normal, file)) })));
  }

  // Streamed through the hash: a wheel of hundreds of megabytes is never held in memory.
  async function downloadDigest(name: string, file: ReleaseFile): Promise<string> {
    if (setup.offline) throw new RegistryError("offline", `the index lists no hash for ${file.filename} and --offline is set`);
    const response = await get(name, file.url, "application/octet-stream");
    if (response.status !== 200 || !response.body) throw new RegistryError("not-found", `${file.filename} is not on the index (${response.status})`);
    const hash = createHash("sha256");
    for await (const chunk of response.body) hash.update(chunk);
    return hash.digest("hex");
  }

  async function sdist(name: string, version: string): Promise<SdistDownload | undefined> {
    const normal = normaliseName(name);
    // .tar.bz2 and .egg sdists predate PEP 625 (2022): nothing reads them here.
    const file = ((await filesOf(normal))[version] ?? []).find((candidate) => candidate.kind === "sdist" && /\.(tar\.gz|zip)$/i.test(candidate.filename));
    if (!file) return undefined;
    if (setup.offline) throw new RegistryError("offline", `the sdist of ${normal} ${version} is not cached and --offline is set`);
    const response = await get(normal, file.url, "application/octet-stream");
    if (response.status !== 200 || !response.body) throw new RegistryError("not-found", `${file.filename} is not on the index (${response.status})`);
    const bytes = Number(response.headers.get("content-length") ?? Number.NaN);
    return { file, body: heldBody(response, response.body), ...(Number.isSafeInteger(bytes) && bytes > 0 ? { bytes } : {}) };
  }

  return { packument: (name) => projectOnce(name).then((entry) => entry.history), manifest: manifestOnce, surface, sources, fileDigests, sdist, stats, index: setup.index };
}

/**
 * The body of a response, readable after the Response itself is dropped. Node 20's fetch ends the body
 * of a Response that was garbage-collected (seen live: PyYAML's sdist read as 0 of 130960 bytes), so
 * the stream handed on keeps its Response.
 */
function heldBody(response: Response, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const held = { response, reader: body.getReader() };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await held.reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => held.reader.cancel(reason),
  });
}

// Part of the surface cache key: a change to what is extracted must not be served stale.
const surfaceVersion = "v2";

const retryDelayMs = 1_000;
const failingIndexAfter = 3;

async function readJson(name: string, response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The request's time limit covers its body: a body that stops coming is a timeout, said as one.
    if ((error as Error).name === "TimeoutError") throw new RegistryError("timeout", `timed out reading the index's answer for ${name}`);
    throw new RegistryError("network", `the index's answer for ${name} broke off (${connectionFailure(error) ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const html = /^\s*</.test(text);
    throw new RegistryError("invalid", `the index answered ${html ? "HTML" : "something"} instead of JSON for ${name}`);
  }
}

// The shape each API promises (PyPI's JSON API; PEP 691): an answer of another shape would read as a
// project with no releases, so "up to date", where it is a broken answer.
const jsonApiShape = z.object({ releases: z.record(z.string(), z.array(z.object({}).passthrough())) });
const simpleApiShape = z.object({ files: z.array(z.object({ filename: z.string(), url: z.string() }).passthrough()) });

function checkShape(name: string, api: string, shape: z.ZodType, body: unknown): void {
  const result = shape.safeParse(body);
  if (result.success) return;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "the answer";
  throw new RegistryError("invalid", `the index's ${api} answer for ${name} is not what the API gives: ${where}: ${issue?.message ?? "wrong shape"}`);
}

function fromJsonApi(name: string, body: unknown, url: string): CachedProject & { files: ProjectFiles } {
  checkShape(name, "JSON", jsonApiShape, body);
  const document = record(body);
  const releases = record(document.releases);
  const files: Record<string, ReleaseFile[]> = {};
  for (const [version, list] of Object.entries(releases)) {
    files[version] = (Array.isArray(list) ? list : []).map(record).flatMap((file) => releaseFile(url, {
      filename: file.filename, url: file.url, kind: file.packagetype === "bdist_wheel" ? "wheel" : file.packagetype === "sdist" ? "sdist" : undefined,
      requiresPython: file.requires_python, yanked: file.yanked === true ? (typeof file.yanked_reason === "string" ? file.yanked_reason : "") : undefined, uploadTime: file.upload_time_iso_8601,
      sha256: record(file.digests).sha256, coreMetadata: file["core-metadata"] ?? file["data-dist-info-metadata"],
    }));
  }
  const info = record(document.info);
  const projectUrls = Object.entries(record(info.project_urls)).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  if (typeof info.home_page === "string" && info.home_page) projectUrls.push(["Homepage", info.home_page]);
  return { fetchedAt: 0, maxAge: defaultMaxAgeSeconds, history: historyOf(name, files), files, projectUrls };
}

function fromSimpleApi(name: string, body: unknown, url: string): CachedProject & { files: ProjectFiles } {
  checkShape(name, "Simple API", simpleApiShape, body);
  const files: Record<string, ReleaseFile[]> = {};
  for (const file of (record(body).files as unknown[]).map(record)) {
    const filename = typeof file.filename === "string" ? file.filename : "";
    const version = versionFromFilename(name, filename);
    if (!version) continue;
    const yanked = file.yanked === true ? "" : typeof file.yanked === "string" ? file.yanked : undefined;
    const parsed = releaseFile(url, { filename, url: file.url, kind: filename.endsWith(".whl") ? "wheel" : /\.(tar\.gz|zip)$/.test(filename) ? "sdist" : undefined, requiresPython: file["requires-python"], yanked, uploadTime: file["upload-time"], sha256: record(file.hashes).sha256, coreMetadata: file["core-metadata"] ?? file["data-dist-info-metadata"] });
    files[version] = [...(files[version] ?? []), ...parsed];
  }
  return { fetchedAt: 0, maxAge: defaultMaxAgeSeconds, history: historyOf(name, files), files, projectUrls: [] };
}

function releaseFile(base: string, fields: { filename: unknown; url: unknown; kind: ReleaseFile["kind"] | undefined; requiresPython: unknown; yanked: string | undefined; uploadTime: unknown; sha256: unknown; coreMetadata: unknown }): ReleaseFile[] {
  if (typeof fields.filename !== "string" || typeof fields.url !== "string" || !fields.kind) return [];
  let url: string;
  try {
    url = new URL(fields.url, base).toString();
  } catch {
    return [];
  }
  const file: ReleaseFile = { filename: fields.filename, url, kind: fields.kind };
  if (typeof fields.requiresPython === "string" && fields.requiresPython) file.requiresPython = fields.requiresPython;
  if (fields.yanked !== undefined) file.yanked = fields.yanked;
  if (typeof fields.uploadTime === "string") file.uploadTime = fields.uploadTime;
  if (typeof fields.sha256 === "string" && /^[0-9a-f]{64}$/.test(fields.sha256)) file.sha256 = fields.sha256;
  // PEP 658/714: `true`, or the metadata file's hashes; `false` or absent when the index has none.
  if (file.kind === "wheel" && fields.coreMetadata) {
    const sha256 = record(fields.coreMetadata).sha256;
    file.coreMetadata = typeof sha256 === "string" && /^[0-9a-f]{64}$/.test(sha256) ? { sha256 } : {};
  }
  return [file];
}

// A version is yanked when every file of it is; its date is its first upload (as Renovate reads it).
function historyOf(name: string, files: Record<string, ReleaseFile[]>): PackageHistory {
  const history: PackageHistory = { name, distTags: {}, time: {}, versions: {} };
  for (const [version, list] of Object.entries(files)) {
    if (list.length === 0) continue;
    const summary: PackageHistory["versions"][string] = { version };
    if (list.every((file) => file.yanked !== undefined)) summary.yanked = list.find((file) => file.yanked)?.yanked ?? "";
    const runtime = list.find((file) => file.requiresPython)?.requiresPython;
    if (runtime) summary.runtime = runtime;
    history.versions[version] = summary;
    const first = list.map((file) => file.uploadTime).filter((time): time is string => typeof time === "string").sort()[0];
    if (first) history.time[version] = first;
  }
  return history;
}

// "google_auth-2.41.1-py2.py3-none-any.whl" and "google-auth-2.41.1.tar.gz" → "2.41.1"
export function versionFromFilename(name: string, filename: string): string | undefined {
  if (filename.endsWith(".whl")) return filename.split("-")[1];
  const stem = filename.replace(/\.(tar\.gz|zip|tar\.bz2)$/, "");
  const prefix = normaliseName(name);
  for (let index = stem.indexOf("-"); index !== -1; index = stem.indexOf("-", index + 1)) {
    if (normaliseName(stem.slice(0, index)) === prefix) return stem.slice(index + 1);
  }
  return undefined;
}

// The same wheel whichever API listed the files: a pure one, else the first Linux x86_64 one by name.
function pickWheel(files: ReleaseFile[]): ReleaseFile | undefined {
  const wheels = files.filter((file) => file.kind === "wheel").sort((a, b) => a.filename.localeCompare(b.filename));
  return wheels.find((file) => /-none-any\.whl$/.test(file.filename)) ?? wheels.find((file) => /manylinux.*x86_64/.test(file.filename)) ?? wheels[0];
}

/**
 * The modules a wheel installs, from RECORD: a top-level package (`fastapi/`), module (`six.py`) or,
 * under a namespace package without `__init__.py` (`google/`), its subpackages (`google.auth`,
 * `google.oauth2`). top_level.txt only when RECORD is missing: it names the namespace, not the package.
 */
export function topLevelNames(topLevel: string | undefined, recordText: string | undefined): string[] {
  const files = (recordText ?? "").split(/\r?\n/).map((line) => line.split(",")[0] ?? "").filter((file) => file && !/\.(dist-info|data)\//.test(file) && !file.startsWith(".."));
  if (files.length === 0) return [...new Set((topLevel ?? "").split(/\r?\n/).map((line) => line.trim()).filter((line) => /^[A-Za-z_][\w/]*$/.test(line)).map((line) => line.replace(/\//g, ".")))];
  const regular = new Set(files.filter((file) => /^[A-Za-z_]\w*\/__init__\.pyi?$/.test(file)).map((file) => file.split("/")[0]));
  const names = new Set<string>();
  for (const file of files) {
    const parts = file.split("/");
    const [top = "", second] = parts;
    if (!/^[A-Za-z_]\w*/.test(top)) continue;
    if (parts.length === 1) {
      const module = /^([A-Za-z_]\w*)(?:\.py|\.pyi|\.(?:cpython|abi3|pypy)[^/]*\.(?:so|pyd)|\.so|\.pyd)$/.exec(top)?.[1];
      if (module) names.add(module);
    } else if (regular.has(top)) names.add(top);
    else if (second && /^[A-Za-z_]\w*$/.test(second.replace(/\.pyi?$/, "")) && !top.endsWith("-stubs")) names.add(`${top}.${second.replace(/\.pyi?$/, "")}`);
    else if (top.endsWith("-stubs")) names.add(top.replace(/-stubs$/, ""));
  }
  return [...names].sort();
}

// The repository among the project URLs: Source, Repository, Code, then Changelog / Homepage on GitHub.
const repositoryLabels = ["source", "source code", "repository", "code", "github", "changelog", "changes", "release notes", "homepage", "home"];
function repositoryUrl(links: Map<string, string>): string | undefined {
  const byLabel = new Map([...links].map(([label, url]) => [label.toLowerCase().replace(/[-_]/g, " ").trim(), url]));
  for (const label of repositoryLabels) {
    const url = byLabel.get(label);
    if (url && /^https:\/\/(www\.)?github\.com\/[\w.-]+\/[\w.-]+/.test(url)) return url;
  }
  return [...links.values()].find((url) => /^https:\/\/(www\.)?github\.com\/[\w.-]+\/[\w.-]+/.test(url));
}

function parseMaxAge(header: string | null): number {
  const match = /max-age=(\d+)/.exec(header ?? "");
  return match?.[1] ? Number(match[1]) : defaultMaxAgeSeconds;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
