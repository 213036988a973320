// A local npm registry that replays packuments recorded in fixtures/registry/ (see its README).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import path from "node:path";
import { listenOnLoopback } from "./listen.js";

export const fixturesDir = path.resolve(import.meta.dirname, "../../fixtures");

export interface FakeRegistryRequest {
  method: string;
  url: string;
  name: string;
  headers: IncomingMessage["headers"];
  status: number;
}

export type Override =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { delayMs: number }
  | { hang: true };

export interface FakeRegistry {
  url: string;
  requests: FakeRegistryRequest[];
  /** Answer `name` this way instead of from fixtures. */
  override(name: string, override: Override): void;
  /** Serve a packument not in fixtures. */
  publish(name: string, packument: unknown): void;
  close(): Promise<void>;
}

export function recordedPackument(name: string): unknown {
  return JSON.parse(readFileSync(path.join(fixturesDir, "registry", `${name.replace("/", "__")}.json`), "utf8"));
}

export async function startFakeRegistry(
  options: { maxAge?: number; requireToken?: string } = {},
): Promise<FakeRegistry> {
  const overrides = new Map<string, Override>();
  const published = new Map<string, string>();
  const requests: FakeRegistryRequest[] = [];

  const server: Server = createServer((request, response) => {
    // "/express", "/@scope%2fname", and a version's own document "/express/4.18.2".
    const segments =
      (request.url ?? "/")
        .split("?")[0]
        ?.replace(/^\/+/, "")
        .replace(/^scoped\//, "")
        .split("/") ?? [];
    const name = decodeURIComponent(segments[0] ?? "");
    const version = segments[1] === undefined ? undefined : decodeURIComponent(segments[1]);
    const answer = (status: number, body = "", headers: Record<string, string> = {}) => {
      requests.push({
        method: request.method ?? "GET",
        url: request.url ?? "",
        name,
        headers: request.headers,
        status,
      });
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body);
    };
    if (options.requireToken && request.headers.authorization !== `Bearer ${options.requireToken}`) {
      answer(401, JSON.stringify({ error: "authentication required" }));
      return;
    }
    const override = overrides.get(name);
    // A hung request is recorded (status 0: never answered) and left open.
    if (override && "hang" in override) return void requests.push({ method: request.method ?? "GET", url: request.url ?? "", name, headers: request.headers, status: 0 });
    if (override && "status" in override) {
      answer(override.status, override.body ?? JSON.stringify({ error: "fake failure" }), override.headers);
      return;
    }
    const tarball = /\/-\/([^/]+\.tgz)$/.exec(request.url ?? "");
    if (tarball) {
      const file = path.join(fixturesDir, "tarballs", decodeURIComponent(tarball[1] ?? ""));
      if (!existsSync(file)) return answer(404, JSON.stringify({ error: "Not found" }));
      requests.push({ method: request.method ?? "GET", url: request.url ?? "", name, headers: request.headers, status: 200 });
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(readFileSync(file));
      return;
    }
    const respond = () => {
      const recorded = published.get(name) ?? readRecorded(name);
      // Recorded tarball URLs are registry-relative; this registry serves them itself.
      const packument = recorded?.replace(/"tarball": ?"\//g, `"tarball": "http://${request.headers.host}/`);
      const body = version === undefined || packument === undefined ? packument : versionDocument(packument, version);
      if (body === undefined) {
        answer(404, JSON.stringify({ error: "Not found" }));
        return;
      }
      const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
      const headers = { etag, "cache-control": `public, max-age=${options.maxAge ?? 300}` };
      if (request.headers["if-none-match"] === etag) answer(304, "", headers);
      else answer(200, body, headers);
    };
    if (override && "delayMs" in override) setTimeout(respond, override.delayMs);
    else respond();
  });
  const { origin, close } = await listenOnLoopback(server);
  return {
    url: `${origin}/`,
    requests,
    override: (name, override) => overrides.set(name, override),
    publish: (name, packument) => published.set(name, JSON.stringify(packument)),
    close,
  };
}

function versionDocument(packument: string, version: string): string | undefined {
  const manifest = (JSON.parse(packument) as { versions?: Record<string, unknown> }).versions?.[version];
  return manifest === undefined ? undefined : JSON.stringify(manifest);
}

function readRecorded(name: string): string | undefined {
  try {
    return readFileSync(path.join(fixturesDir, "registry", `${name.replace("/", "__")}.json`), "utf8");
  } catch {
    return undefined;
  }
}
