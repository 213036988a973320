// A local stand-in for PyPI in the bench: forwards GETs to pypi.org and files.pythonhosted.org and counts
// them by kind. File URLs in the index's answers are rewritten to pass through here too (they are
// absolute URLs on the files host), so every request bumpwise makes is counted: listings, per-version
// JSON, `.metadata` files, and range reads of wheels.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RequestCounts {
  total: number;
  /** `/simple/NAME/` and `/pypi/NAME/json` listings, and per-version JSON. */
  index: number;
  /** PEP 658 `.metadata` files. */
  metadata: number;
  /** Requests with a Range header (parts of wheels). */
  ranges: number;
  /** Whole files (wheels, sdists). */
  files: number;
  bytes: number;
}

export interface PypiProxy {
  /** The Simple API root, as --index-url takes it. */
  url: string;
  counts: RequestCounts;
  reset(): void;
  close(): Promise<void>;
}

const indexHost = "https://pypi.org";
const filesHost = "https://files.pythonhosted.org";
const filesPrefix = "/~files";
const passedHeaders = ["content-type", "content-range", "etag", "cache-control", "last-modified"];

const emptyCounts = (): RequestCounts => ({ total: 0, index: 0, metadata: 0, ranges: 0, files: 0, bytes: 0 });

export async function startPypiProxy(): Promise<PypiProxy> {
  let counts = emptyCounts();
  let origin = "";
  // The handler's own try/catch answers every failure: the server need not await it.
  const server = createServer((request, response) => void (async () => {
    const requested = request.url ?? "/";
    const toFiles = requested.startsWith(`${filesPrefix}/`);
    const upstream = toFiles ? `${filesHost}${requested.slice(filesPrefix.length)}` : `${indexHost}${requested}`;
    counts.total++;
    if (requested.endsWith(".metadata")) counts.metadata++;
    else if (request.headers.range) counts.ranges++;
    else if (toFiles || requested.startsWith("/packages/")) counts.files++;
    else counts.index++;
    try {
      const headers: Record<string, string> = {};
      for (const name of ["accept", "range", "if-none-match"]) {
        const value = request.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const answer = await fetch(upstream, { headers });
      let body = Buffer.from(await answer.arrayBuffer());
      const type = answer.headers.get("content-type") ?? "";
      if (/json|html/.test(type)) body = Buffer.from(body.toString("utf8").replaceAll(`${filesHost}/`, `${origin}${filesPrefix}/`));
      counts.bytes += body.byteLength;
      const out: Record<string, string> = {};
      for (const name of passedHeaders) {
        const value = answer.headers.get(name);
        if (value) out[name] = value;
      }
      response.writeHead(answer.status, out);
      response.end(body);
    } catch (error) {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end((error as Error).message);
    }
  })());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/simple`,
    get counts() {
      return counts;
    },
    reset() {
      counts = emptyCounts();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
