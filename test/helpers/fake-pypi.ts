// A local Python package index that replays fixtures/pypi/ (see its README): the JSON API
// (/pypi/NAME/json, /pypi/NAME/VERSION/json), the Simple API in PEP 691 JSON (/simple/NAME/), the
// recorded files (/files/NAME), and each wheel's METADATA as its PEP 658 file (/files/NAME.metadata),
// listed as `core-metadata` with its sha256 as PyPI lists it. Overrides answer a path with a status,
// HTML or a delay.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { createServer, type IncomingMessage } from "node:http";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { fixturesDir } from "./fake-registry.js";
import { listenOnLoopback } from "./listen.js";

export interface FakeIndexRequest {
  url: string;
  range?: string;
  authorization: string | undefined;
  status: number;
}

/**
 * `times`: only the first so many requests are answered this way (a failure that a retry gets past);
 * `stallBody`: the headers and the first half of the body are sent, then nothing more (a stalled body).
 */
export type IndexOverride = { status: number; body?: string | Buffer; contentType?: string; delayMs?: number; times?: number; stallBody?: boolean };

export interface FakeIndex {
  /** The Simple API root, as --index-url takes it. */
  url: string;
  origin: string;
  requests: FakeIndexRequest[];
  /** Answer paths starting with `prefix` this way. */
  override(prefix: string, override: IndexOverride): void;
  close(): Promise<void>;
}

const pypiDir = path.join(fixturesDir, "pypi");

/** A wheel's METADATA, as PyPI extracts it at upload to serve beside the wheel. */
function wheelMetadata(file: string): Buffer | undefined {
  if (!file.endsWith(".whl") || !existsSync(file)) return undefined;
  const members = unzipSync(readFileSync(file), { filter: (member) => /^[^/]+\.dist-info\/METADATA$/.test(member.name) });
  const metadata = Object.values(members)[0];
  return metadata ? Buffer.from(metadata) : undefined;
}

// Each wheel file the index has is listed with its metadata file's sha256 (PEP 714 `core-metadata`,
// and PEP 658's `data-dist-info-metadata`, as PyPI sends both); the JSON API lists `core-metadata` too.
function withCoreMetadata(listing: string, files: (document: Record<string, unknown>) => Record<string, unknown>[]): string {
  const document = JSON.parse(listing) as Record<string, unknown>;
  for (const file of files(document)) {
    const metadata = typeof file.filename === "string" ? wheelMetadata(path.join(pypiDir, "files", file.filename)) : undefined;
    if (!metadata) continue;
    const hashes = { sha256: createHash("sha256").update(metadata).digest("hex") };
    file["core-metadata"] = hashes;
    file["data-dist-info-metadata"] = hashes;
  }
  return JSON.stringify(document);
}

const simpleFiles = (document: Record<string, unknown>) => (document.files as Record<string, unknown>[]);
const jsonFiles = (document: Record<string, unknown>) => Object.values(document.releases as Record<string, Record<string, unknown>[]>).flat();

/**
 * `simpleOnly`: no JSON API (404), as most private indexes; `credentials`: "user:password" required;
 * `noRanges`: files are always sent whole (a server that ignores Range), else Range is honoured (206);
 * `noCoreMetadata`: no PEP 658 metadata files, listed or served (an index that predates PEP 658).
 */
export async function startFakeIndex(options: { simpleOnly?: boolean; credentials?: string; noRanges?: boolean; noCoreMetadata?: boolean } = {}): Promise<FakeIndex> {
  const requests: FakeIndexRequest[] = [];
  const overrides = new Map<string, IndexOverride>();
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (status: number, body: string | Buffer, contentType = "application/json", extra: Record<string, string> = {}) => {
      requests.push({ url: request.url ?? "", authorization: request.headers.authorization, status, ...(request.headers.range ? { range: request.headers.range } : {}) });
      response.writeHead(status, { "content-type": contentType, ...(status === 200 && /json/.test(contentType) ? { etag: `"${body.length}"`, "cache-control": "max-age=600" } : {}), ...extra });
      response.end(body);
    };
    for (const [prefix, override] of overrides) {
      if (!url.pathname.startsWith(prefix)) continue;
      if (override.times !== undefined && override.times-- <= 0) continue;
      if (override.stallBody) {
        const body = Buffer.from(override.body ?? "");
        requests.push({ url: request.url ?? "", authorization: request.headers.authorization, status: override.status });
        response.writeHead(override.status, { "content-type": override.contentType ?? "application/json", "content-length": String(body.length) });
        return void response.write(body.subarray(0, Math.floor(body.length / 2)));
      }
      const answer = () => send(override.status, override.body ?? "", override.contentType ?? "text/html");
      if (override.delayMs) return void setTimeout(answer, override.delayMs);
      return answer();
    }
    const isFile = url.pathname.startsWith("/files/");
    if (options.credentials && !isFile && request.headers.authorization !== `Basic ${Buffer.from(options.credentials).toString("base64")}`) return send(401, "Unauthorized", "text/plain");
    const json = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/.exec(url.pathname);
    if (json && !options.simpleOnly) {
      const file = path.join(pypiDir, "json", json[2] ? `${json[1]}@${json[2]}.json` : `${json[1]}.json`);
      if (!existsSync(file)) return send(404, JSON.stringify({ message: "Not Found" }));
      const listing = options.noCoreMetadata || json[2] ? readFileSync(file, "utf8") : withCoreMetadata(readFileSync(file, "utf8"), jsonFiles);
      if (request.headers["if-none-match"] === `"${listing.length}"`) return send(304, "");
      return send(200, listing);
    }
    const simple = /^\/simple\/([^/]+)\/$/.exec(url.pathname);
    if (simple) {
      const file = path.join(pypiDir, "simple", `${simple[1]}.json`);
      if (!existsSync(file)) return send(404, "Not Found", "text/html");
      const listing = options.noCoreMetadata ? readFileSync(file, "utf8") : withCoreMetadata(readFileSync(file, "utf8"), simpleFiles);
      if (request.headers["if-none-match"] === `"${listing.length}"`) return send(304, "");
      return send(200, listing, "application/vnd.pypi.simple.v1+json");
    }
    const metadataFile = isFile && !options.noCoreMetadata ? /^(.+\.whl)\.metadata$/.exec(path.basename(decodeURIComponent(url.pathname))) : null;
    if (metadataFile) {
      const metadata = wheelMetadata(path.join(pypiDir, "files", metadataFile[1] ?? ""));
      return metadata ? send(200, metadata, "application/octet-stream") : send(404, "Not Found", "text/plain");
    }
    if (isFile) {
      const file = path.join(pypiDir, "files", path.basename(decodeURIComponent(url.pathname)));
      if (!existsSync(file)) return send(404, "Not Found", "text/plain");
      const bytes = readFileSync(file);
      const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
      if (!range || options.noRanges) return send(200, bytes, "application/octet-stream");
      const start = range[1] === "" ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
      const end = range[1] === "" || range[2] === "" ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      return send(206, bytes.subarray(start, end + 1), "application/octet-stream", { "content-range": `bytes ${start}-${end}/${bytes.length}` });
    }
    return send(404, JSON.stringify({ message: "Not Found" }));
  });
  const { origin, close } = await listenOnLoopback(server);
  return { url: `${origin}/simple`, origin, requests, override: (prefix, override) => void overrides.set(prefix, { ...override }), close };
}

/**
 * A fresh fake index for every test of a CLI world, as its UV_INDEX_URL; `restart` swaps it for one with
 * other options (the one running when the test ends is closed).
 */
export function useFakeIndex(world: { env: NodeJS.ProcessEnv }): { readonly index: FakeIndex; restart(options?: Parameters<typeof startFakeIndex>[0]): Promise<FakeIndex> } {
  let current: FakeIndex | undefined;
  const holder = {
    get index(): FakeIndex {
      if (!current) throw new Error("the fake index starts in beforeEach");
      return current;
    },
    async restart(options?: Parameters<typeof startFakeIndex>[0]) {
      await current?.close();
      current = await startFakeIndex(options);
      world.env.UV_INDEX_URL = current.url;
      return current;
    },
  };
  beforeEach(async () => {
    await holder.restart();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return holder;
}
