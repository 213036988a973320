import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { Zip, ZipDeflate } from "fflate";
import { Header } from "tar";
import { afterEach, describe, expect, it } from "vitest";
import { readFiles } from "../../src/ecosystems/npm/registry/tarball.js";
import { createPypiIndex } from "../../src/ecosystems/pypi/index/client.js";
import { wheelEntries } from "../../src/ecosystems/pypi/index/wheel.js";
import { noCache } from "../../src/registry/cache.js";
import { type FakeIndex, startFakeIndex } from "../helpers/fake-pypi.js";

const MiB = 1024 * 1024;
// A megabyte of zeros, pushed again and again: the bomb is built without ever holding what it inflates to.
const zeros = new Uint8Array(MiB);

/** A wheel of a few hundred KB whose METADATA inflates to `megabytes` MB (built once: deflating takes seconds). */
let built: Promise<Buffer> | undefined;
const bombWheel = (megabytes: number) => (built ??= buildWheel(megabytes));
async function buildWheel(megabytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      chunks.push(chunk);
      if (final) resolve();
    });
    const metadata = new ZipDeflate("bomb-1.0.dist-info/METADATA", { level: 9 });
    zip.add(metadata);
    for (let pushed = 0; pushed < megabytes; pushed++) metadata.push(zeros);
    metadata.push(new Uint8Array(0), true);
    const top = new ZipDeflate("bomb-1.0.dist-info/top_level.txt");
    zip.add(top);
    top.push(new TextEncoder().encode("bomb\n"), true);
    zip.end();
  });
  await done;
  return Buffer.concat(chunks);
}

/** An npm tarball (.tgz) whose one member inflates to `megabytes` MB. */
async function bombTarball(megabytes: number, member: string): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => gzip.on("end", resolve));
  const header = new Header({ path: `package/${member}`, mode: 0o644, size: megabytes * MiB, type: "File", mtime: new Date(0) });
  header.encode();
  gzip.write(header.block);
  for (let pushed = 0; pushed < megabytes; pushed++) if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once("drain", resolve));
  gzip.end(Buffer.alloc(1024));
  await ended;
  return Buffer.concat(out);
}

function rss(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

let index: FakeIndex | undefined;
afterEach(() => index?.close());

describe("archive bombs: every member read is bounded in size and ratio, for wheels and npm tarballs", () => {
  it("a wheel whose METADATA inflates to 400 MB is a note on that release, read with bounded memory", async () => {
    const wheel = await bombWheel(400);
    expect(wheel.byteLength).toBeLessThan(2 * MiB);
    index = await startFakeIndex({ simpleOnly: true });
    const simple = { meta: { "api-version": "1.1" }, name: "bomb", versions: ["1.0"], files: [{ filename: "bomb-1.0-py3-none-any.whl", url: "/files/bomb-1.0-py3-none-any.whl", yanked: false, "upload-time": "2024-01-01T00:00:00Z", hashes: {} }] };
    index.override("/simple/bomb/", { status: 200, body: JSON.stringify(simple), contentType: "application/vnd.pypi.simple.v1+json" });
    // Sent whole, as a server that ignores Range: the in-memory path is bounded like the range path.
    index.override("/files/bomb-1.0-py3-none-any.whl", { status: 200, body: wheel, contentType: "application/octet-stream" });
    const pypi = createPypiIndex({ index: { url: index.url, source: "test" }, cache: noCache });
    const before = rss();
    const release = await pypi.manifest("bomb", "1.0");
    expect(release.metadataError).toMatch(/^the wheel of bomb 1\.0 could not be read: bomb-1\.0\.dist-info\/METADATA in the wheel inflates to more than 16 MB .*an archive bomb\?/);
    const surface = await pypi.surface("bomb", "1.0");
    expect(surface).toHaveProperty("unavailable");
    expect(rss() - before).toBeLessThan(300 * MiB);
  }, 60_000);

  it("read by range requests, the same wheel stops at the member limit", async () => {
    const wheel = await bombWheel(400);
    const fetchRange = async (range: string) => {
      const [, start = "", end = ""] = /^bytes=(\d*)-(\d*)$/.exec(range) ?? [];
      const from = start === "" ? wheel.byteLength - Number(end) : Number(start);
      const to = start === "" || end === "" ? wheel.byteLength : Number(end) + 1;
      return { status: 206, bytes: wheel.subarray(Math.max(0, from), to), total: wheel.byteLength };
    };
    const before = rss();
    await expect(wheelEntries(fetchRange, (name) => name.endsWith("METADATA"), 40 * MiB)).rejects.toThrow(/inflates to more than 16 MB/);
    expect(rss() - before).toBeLessThan(300 * MiB);
  }, 60_000);

  it.each([["CHANGELOG.md"], ["dist/filler.bin"]])("an npm tarball whose %s inflates to 1 GB stops being read, with bounded memory", async (member) => {
    const tarball = await bombTarball(1024, member);
    expect(tarball.byteLength).toBeLessThan(4 * MiB);
    const before = rss();
    await expect(readFiles(Readable.from([tarball]), { always: () => true })).rejects.toThrow(/^the tarball inflates to more than \d+ MB from \d+(\.\d+)? MB; not read further \(an archive bomb\?\)$/);
    expect(rss() - before).toBeLessThan(300 * MiB);
  }, 60_000);
});
