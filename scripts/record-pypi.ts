// Records what a real review asks of PyPI into fixtures/pypi/ (see its README): runs bumpwise against
// a local proxy that forwards to https://pypi.org, keeps the fields bumpwise reads, rewrites file URLs
// to /files/NAME, and keeps of each wheel only its .dist-info METADATA, top_level.txt and RECORD, except
// the wheels of the distributions named in KEEP_WHOLE (comma-separated), kept whole for the API diff.
// Usage: KEEP_WHOLE=httpx,fastapi npx tsx scripts/record-pypi.ts -- review fixtures/demo-python --no-github --llm off --out /tmp/x
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";
import { run } from "../src/cli/main.js";

const upstream = "https://pypi.org";
const out = path.resolve(import.meta.dirname, "../fixtures/pypi");
const realUrls = new Map<string, string>();
const keepWhole = new Set((process.env.KEEP_WHOLE ?? "").split(",").filter(Boolean));

for (const folder of ["json", "simple", "files"]) mkdirSync(path.join(out, folder), { recursive: true });

const server = createServer(async (request, response) => {
  const url = request.url ?? "/";
  const file = /^\/files\/([^/]+)$/.exec(url)?.[1];
  const target = file ? realUrls.get(decodeURIComponent(file)) : `${upstream}${url}`;
  if (!target) return void response.writeHead(404).end();
  const answer = await fetch(target, { headers: { accept: String(request.headers.accept ?? "*/*") } });
  const body = Buffer.from(await answer.arrayBuffer());
  if (answer.status !== 200) {
    response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" }).end(body);
    return;
  }
  let kept: Buffer = body;
  if (file) {
    const distribution = decodeURIComponent(file).split("-")[0]?.toLowerCase().replace(/_/g, "-") ?? "";
    kept = keepWhole.has(distribution) ? body : trimWheel(body);
    writeFileSync(path.join(out, "files", decodeURIComponent(file)), kept);
  } else if (url.startsWith("/pypi/")) {
    const json = trimJson(JSON.parse(body.toString("utf8")), target);
    kept = Buffer.from(JSON.stringify(json));
    const [, name, version] = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json/.exec(url) ?? [];
    writeFileSync(path.join(out, "json", version ? `${name}@${version}.json` : `${name}.json`), `${JSON.stringify(json, null, 1)}\n`);
    // The same project through the Simple API (PEP 691), for the tests of indexes without the JSON API.
    if (!version) {
      const simpleUrl = `${upstream}/simple/${name}/`;
      const simple = await fetch(simpleUrl, { headers: { accept: "application/vnd.pypi.simple.v1+json" } });
      if (simple.ok) writeFileSync(path.join(out, "simple", `${name}.json`), `${JSON.stringify(trimSimple((await simple.json()) as Json, simpleUrl), null, 1)}\n`);
    }
  } else if (url.startsWith("/simple/")) {
    const json = trimSimple(JSON.parse(body.toString("utf8")), target);
    kept = Buffer.from(JSON.stringify(json));
    writeFileSync(path.join(out, "simple", `${url.split("/")[2]}.json`), `${JSON.stringify(json, null, 1)}\n`);
  }
  response.writeHead(200, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" }).end(kept);
});

function fileUrl(raw: string, base: string): string {
  const absolute = new URL(raw, base).toString();
  const name = decodeURIComponent(absolute.split("/").at(-1)?.split("#")[0] ?? "");
  realUrls.set(name, absolute);
  return `/files/${encodeURIComponent(name)}`;
}

type Json = Record<string, unknown>;
function trimJson(document: Json, base: string): Json {
  const info = document.info as Json;
  const keepFile = (file: Json) => ({
    filename: file.filename, packagetype: file.packagetype, requires_python: file.requires_python, yanked: file.yanked, yanked_reason: file.yanked_reason,
    upload_time_iso_8601: file.upload_time_iso_8601, url: fileUrl(String(file.url), base),
  });
  const releases = document.releases as Record<string, Json[]> | undefined;
  return {
    info: { name: info.name, version: info.version, requires_python: info.requires_python, requires_dist: info.requires_dist, provides_extra: info.provides_extra, project_urls: info.project_urls, home_page: info.home_page, yanked: info.yanked, yanked_reason: info.yanked_reason },
    ...(releases ? { releases: Object.fromEntries(Object.entries(releases).map(([version, files]) => [version, files.map(keepFile)])) } : {}),
    urls: ((document.urls as Json[] | undefined) ?? []).map(keepFile),
  };
}

function trimSimple(document: Json, base: string): Json {
  return { meta: document.meta, name: document.name, versions: document.versions, files: (document.files as Json[]).map((file) => ({ filename: file.filename, url: fileUrl(String(file.url), base), hashes: {}, "requires-python": file["requires-python"], yanked: file.yanked, "upload-time": file["upload-time"] })) };
}

function trimWheel(bytes: Buffer): Buffer {
  const kept = unzipSync(new Uint8Array(bytes), { filter: (entry) => /^[^/]+\.dist-info\/(METADATA|top_level\.txt|RECORD)$/.test(entry.name) });
  return Buffer.from(zipSync(kept));
}

await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const index = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
const args = process.argv.slice(process.argv.indexOf("--") + 1);
const code = await run([...args, "--index-url", index, "--no-cache"], { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
server.close();
process.exit(code);
