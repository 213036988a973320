// A local stand-in for the npm registry in the bench: forwards GETs to registry.npmjs.org, counts them,
// and answers 304 itself when a client revalidates with the ETag it was last given for that path (as the
// registry's CDN does). The registry reachable from the bench machine may send no ETag and no
// Cache-Control (a mirror): the proxy then gives each answer a digest ETag and npmjs.org's max-age of 300 s.
// Tarball URLs in packuments still point at the registry, so only metadata requests pass through here.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RegistryProxy {
  url: string;
  counts: { requests: number; notModified: number };
  reset(): void;
  close(): Promise<void>;
}

const upstream = "https://registry.npmjs.org";

export async function startRegistryProxy(): Promise<RegistryProxy> {
  const etags = new Map<string, string>();
  const counts = { requests: 0, notModified: 0 };
  // The handler's own try/catch answers every failure: the server need not await it.
  const server = createServer((request, response) => void (async () => {
    counts.requests++;
    const path = request.url ?? "/";
    const known = etags.get(path);
    if (known && request.headers["if-none-match"] === known) {
      counts.notModified++;
      response.writeHead(304, { etag: known, "cache-control": "public, max-age=300" });
      response.end();
      return;
    }
    try {
      const answer = await fetch(`${upstream}${path}`, { headers: { accept: String(request.headers.accept ?? "application/json") } });
      const body = Buffer.from(await answer.arrayBuffer());
      const etag = answer.headers.get("etag") ?? (answer.status === 200 ? `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"` : null);
      if (etag) etags.set(path, etag);
      const headers: Record<string, string> = { "content-type": answer.headers.get("content-type") ?? "application/json", "cache-control": answer.headers.get("cache-control") ?? "public, max-age=300" };
      if (etag) headers.etag = etag;
      response.writeHead(answer.status, headers);
      response.end(body);
    } catch (error) {
      response.writeHead(502, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: (error as Error).message }));
    }
  })());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    counts,
    reset() {
      counts.requests = 0;
      counts.notModified = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
