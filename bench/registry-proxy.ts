// A local stand-in for the npm registry in the bench: forwards GETs to registry.npmjs.org, counts them,
// and answers 304 itself when a client revalidates with the ETag it was last given for that path (as the
// registry's CDN does). The registry reachable from the bench machine may send no ETag and no
// Cache-Control (a mirror): the proxy then gives each answer a digest ETag and npmjs.org's max-age of 300 s.
// Tarball URLs in packuments still point at the registry, so only metadata requests pass through here.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";

export interface RegistryProxy {
  url: string;
  counts: { requests: number; notModified: number };
  reset(): void;
  close(): Promise<void>;
}

const upstream = "https://registry.npmjs.org";

export async function startRegistryProxy(): Promise<RegistryProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
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
      // Passed through as the registry sent it (gzip stays gzip) and streamed: the proxy shares the bench
      // machine's cores with bumpwise, and inflating then re-sending every packument cost bumpwise's plan
      // about a second on uptime-kuma (4.5 s through the old proxy, 3.4 s straight to the registry).
      const upstreamHeaders: Record<string, string> = { accept: String(request.headers.accept ?? "application/json") };
      if (request.headers["accept-encoding"]) upstreamHeaders["accept-encoding"] = String(request.headers["accept-encoding"]);
      const answer = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
        httpsRequest(`${upstream}${path}`, { headers: upstreamHeaders, agent }, resolve).on("error", reject).end();
      });
      const status = answer.statusCode ?? 502;
      const headers: Record<string, string> = { "content-type": String(answer.headers["content-type"] ?? "application/json"), "cache-control": String(answer.headers["cache-control"] ?? "public, max-age=300") };
      if (answer.headers["content-encoding"]) headers["content-encoding"] = String(answer.headers["content-encoding"]);
      const upstreamEtag = answer.headers.etag;
      if (upstreamEtag || status !== 200) {
        if (upstreamEtag) {
          etags.set(path, upstreamEtag);
          headers.etag = upstreamEtag;
        }
        response.writeHead(status, headers);
        answer.pipe(response);
        return;
      }
      // A mirror that sends no ETag: the answer is read whole to make one.
      const chunks: Buffer[] = [];
      for await (const chunk of answer) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
      etags.set(path, etag);
      response.writeHead(status, { ...headers, etag });
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
    close: () => new Promise((resolve) => {
      agent.destroy();
      server.close(() => resolve());
    }),
  };
}
