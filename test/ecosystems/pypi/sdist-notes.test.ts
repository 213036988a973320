import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { headingVersion } from "../../../src/changelog/sections.js";
import { NotesSourceError, type NotesRequest } from "../../../src/changelog/types.js";
import { createPypiIndex, type PypiIndex, type ReleaseFile } from "../../../src/ecosystems/pypi/index/client.js";
import { readSdistMembers } from "../../../src/ecosystems/pypi/notes/archive.js";
import { parseCoreMetadata } from "../../../src/ecosystems/pypi/index/metadata.js";
import { sdistSource } from "../../../src/ecosystems/pypi/notes/sdist.js";
import { pep440Versioning } from "../../../src/ecosystems/pypi/versioning.js";
import { type JsonCache, openCache } from "../../../src/registry/cache.js";
import { type FakeIndex, startFakeIndex } from "../../helpers/fake-pypi.js";

let index: FakeIndex | undefined;
afterEach(async () => {
  await index?.close();
  index = undefined;
});

const freshCache = async () => openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-sdist-")));

function request(name: string, to: string, versions: string[]): NotesRequest {
  return { name, to, versions, manifest: { version: to }, repository: undefined, versioning: pep440Versioning };
}

async function indexSource(cache: JsonCache) {
  index ??= await startFakeIndex();
  const pypi = createPypiIndex({ index: { url: index.url, source: "test" }, cache });
  return sdistSource({ index: pypi, cache, scope: index.url });
}

const fileRequests = () => (index?.requests ?? []).filter((request) => request.url.startsWith("/files/")).map((request) => request.url);

describe("release notes from the sdist on the index (fixtures/pypi/files, trimmed real sdists)", () => {
  it("FastAPI 0.65.1 → 0.65.2: docs/en/docs/release-notes.md (Markdown) has 0.65.2's Content-Type check", async () => {
    const source = await indexSource(await freshCache());
    const notes = await source.fetch(request("fastapi", "0.65.2", ["0.65.2"]));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ version: "0.65.2", source: "sdist", url: `${index?.origin}/files/fastapi-0.65.2.tar.gz#docs/en/docs/release-notes.md` });
    expect(notes[0]?.body).toContain("Check Content-Type request header before assuming JSON");
    expect(notes[0]?.body).not.toContain("## 0.65.1");
  });

  it("Flask 3.0.1 → 3.0.3: CHANGES.rst (reStructuredText `Version 3.0.3` / `-----`), the docs/changes.rst include stub aside", async () => {
    const source = await indexSource(await freshCache());
    const notes = await source.fetch(request("flask", "3.0.3", ["3.0.2", "3.0.3"]));
    expect(notes.map((note) => [note.version, note.url?.split("#")[1]])).toEqual([
      ["3.0.2", "CHANGES.rst"],
      ["3.0.3", "CHANGES.rst"],
    ]);
    expect(notes[1]?.body).toMatch(/^Released 2024-04-07\n\n- {3}The default ``hashlib.sha1`` may not be available in FIPS builds/);
    expect(notes[1]?.body).not.toContain("Version 3.0.2");
  });

  it("Django 5.0.8 → 5.1.1: one file per release (docs/releases/5.1.txt, 5.1.1.txt) read from the target's sdist, title dropped", async () => {
    const source = await indexSource(await freshCache());
    const notes = await source.fetch(request("django", "5.1.1", ["5.1", "5.1.1"]));
    expect(notes.map((note) => [note.version, note.url?.split("#")[1]])).toEqual([
      ["5.1", "docs/releases/5.1.txt"],
      ["5.1.1", "docs/releases/5.1.1.txt"],
    ]);
    expect(notes[1]?.body).toMatch(/^\*September 3, 2024\*\n\nDjango 5\.1\.1 fixes one security issue/);
    expect(notes[1]?.body).toContain("CVE-2024-45230");
  });

  it("a warm re-run reads no archive; a version the cached sdist has a file for but did not read is read then", async () => {
    const cache = await freshCache();
    await (await indexSource(cache)).fetch(request("django", "5.1.1", ["5.1.1"]));
    await cache.flush();
    expect(fileRequests()).toEqual(["/files/Django-5.1.1.tar.gz"]);
    const again = await (await indexSource(cache)).fetch(request("django", "5.1.1", ["5.1.1"]));
    expect(again.map((note) => note.version)).toEqual(["5.1.1"]);
    expect(fileRequests()).toHaveLength(1);
    // 5.1's file was listed in the first read but not kept: this bump reads the archive again.
    const wider = await (await indexSource(cache)).fetch(request("django", "5.1.1", ["5.1", "5.1.1"]));
    expect(wider.map((note) => note.version)).toEqual(["5.1", "5.1.1"]);
    expect(fileRequests()).toHaveLength(2);
  });

  it("a release without an sdist has no notes here; an sdist the index lists but does not serve is a not-found error", async () => {
    const noSdist = sdistSource({ index: servedBy(new Map()), cache: await freshCache(), scope: "test" });
    expect(await noSdist.fetch(request("pkg", "1.0", ["1.0"]))).toEqual([]);
    const source = await indexSource(await freshCache());
    const error = await source.fetch(request("fastapi", "0.65.3", ["0.65.3"])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotesSourceError);
    expect(error).toMatchObject({ code: "not-found", message: "fastapi-0.65.3.tar.gz is not on the index (404)" });
  });
});

// Hostile and odd archives, built here, handed to the source by an index that serves them.
interface Member {
  name: string;
  body?: string | Uint8Array;
  /** ustar type: "0" file, "1" hard link, "2" symbolic link. */
  type?: string;
  link?: string;
  /** Claimed size when it differs from the body (the body is then zeros of that size). */
  size?: number;
}

function tarGz(members: Member[]): Uint8Array {
  const blocks: Buffer[] = [];
  for (const member of members) {
    const body = member.size !== undefined ? Buffer.alloc(member.size) : Buffer.from(member.body ?? "");
    const header = Buffer.alloc(512);
    header.write(member.name, 0, 100, "latin1");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write("00000000000\0", 136);
    header.write("        ", 148);
    header.write(member.type ?? "0", 156);
    header.write(member.link ?? "", 157, 100);
    header.write("ustar\u000000", 257, "latin1");
    const sum = header.reduce((total, byte) => total + byte, 0);
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function servedBy(archives: Map<string, Uint8Array>): Pick<PypiIndex, "sdist"> {
  return {
    async sdist(name, version) {
      const filename = [...archives.keys()].find((candidate) => candidate.startsWith(`${name}-${version}.`));
      const bytes = filename ? archives.get(filename) : undefined;
      if (!filename || !bytes) return undefined;
      const file: ReleaseFile = { filename, url: `https://files.example/${filename}`, kind: "sdist" };
      return { file, body: new Blob([bytes]).stream() };
    },
  };
}

async function notesFrom(filename: string, bytes: Uint8Array, versions = ["1.0"]) {
  const [name = "", version = ""] = filename.replace(/\.(tar\.gz|zip)$/, "").split("-");
  const source = sdistSource({ index: servedBy(new Map([[filename, bytes]])), cache: await freshCache(), scope: "test" });
  return source.fetch(request(name, version, versions));
}

async function refusal(promise: Promise<unknown>): Promise<NotesSourceError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(NotesSourceError);
  return error as NotesSourceError;
}

const changes = "Changes\n=======\n\nVersion 1.0\n-----------\n\n-   the real notes\n";

describe("sdists nobody vetted", () => {
  it("a file that is not an archive, or gzip of something else, is a per-package error", async () => {
    expect(await refusal(notesFrom("pkg-1.0.tar.gz", new TextEncoder().encode("<html>Sign in</html>")))).toMatchObject({ code: "invalid", message: "pkg-1.0.tar.gz is not a gzip file (incorrect header check)" });
    expect((await refusal(notesFrom("pkg-1.0.tar.gz", gzipSync(Buffer.from("just text, no tar headers at all\n".repeat(40)))))).message).toMatch(/^pkg-1\.0\.tar\.gz is not a tar archive/);
    expect((await refusal(notesFrom("pkg-1.0.zip", new TextEncoder().encode("PK? not really")))).message).toBe("pkg-1.0.zip is not a zip archive");
  });

  it("a download that breaks off is a transient error, not remembered: the next run reads the archive again", async () => {
    const whole = tarGz([{ name: "pkg-1.0/CHANGES.rst", body: changes }, { name: "pkg-1.0/setup.py", body: "x".repeat(20_000) }]);
    let served = 0;
    const index: Pick<PypiIndex, "sdist"> = {
      async sdist() {
        served++;
        const bytes = served === 1 ? whole.subarray(0, whole.byteLength - 40) : whole;
        return { file: { filename: "pkg-1.0.tar.gz", url: "https://files.example/pkg-1.0.tar.gz", kind: "sdist" }, body: new Blob([bytes]).stream(), bytes: whole.byteLength };
      },
    };
    const cache = await freshCache();
    const first = await refusal(sdistSource({ index, cache, scope: "test" }).fetch(request("pkg", "1.0", ["1.0"])));
    expect(first).toMatchObject({ code: "unavailable" });
    expect(first.message).toMatch(/^pkg-1\.0\.tar\.gz could not be read: the download of pkg-1\.0\.tar\.gz broke off after \d+ of \d+ bytes$/);
    await cache.flush();
    expect((await sdistSource({ index, cache, scope: "test" }).fetch(request("pkg", "1.0", ["1.0"]))).map((note) => note.body)).toEqual(["-   the real notes"]);
  });

  it("a 50 MB changelog is refused by its size, not read", async () => {
    const error = await refusal(notesFrom("pkg-1.0.tar.gz", tarGz([{ name: "pkg-1.0/CHANGES.rst", size: 50 * 1024 * 1024 }])));
    expect(error.message).toBe("CHANGES.rst in pkg-1.0.tar.gz is 50 MB; changelogs are read up to 2 MB");
  });

  it("symbolic and hard links are not followed: a changelog that is one is an error saying so", async () => {
    const symlink = await refusal(notesFrom("pkg-1.0.tar.gz", tarGz([{ name: "pkg-1.0/CHANGES.rst", type: "2", link: "/etc/passwd" }])));
    expect(symlink.message).toBe("pkg-1.0.tar.gz: CHANGES.rst was not read (a link in the archive; links are not followed)");
    const hardlink = await refusal(notesFrom("pkg-1.0.tar.gz", tarGz([{ name: "pkg-1.0/HISTORY.md", type: "1", link: "pkg-1.0/setup.py" }])));
    expect(hardlink.message).toMatch(/HISTORY\.md was not read \(a link/);
    const zipLink = zipSync({ "pkg-1.0/CHANGES.rst": [new TextEncoder().encode("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    expect((await refusal(notesFrom("pkg-1.0.zip", zipLink))).message).toBe("pkg-1.0.zip: CHANGES.rst was not read (a link in the archive; links are not followed)");
  });

  it("absolute names and `..` are never read; the archive's own changelog still is", async () => {
    const archive = tarGz([
      { name: "/CHANGES.md", body: "## 1.0\n\n- from outside\n" },
      { name: "pkg-1.0/../CHANGES.md", body: "## 1.0\n\n- from outside\n" },
      { name: "pkg-1.0/CHANGES.rst", body: changes },
    ]);
    expect((await notesFrom("pkg-1.0.tar.gz", archive)).map((note) => note.body)).toEqual(["-   the real notes"]);
    const onlyAbsolute = await refusal(notesFrom("pkg-1.0.tar.gz", tarGz([{ name: "/CHANGES.md", body: "## 1.0\n" }])));
    expect(onlyAbsolute.message).toBe('pkg-1.0.tar.gz: CHANGES.md was not read (an absolute path in the archive ("/CHANGES.md"))');
  });

  it("an archive that inflates far beyond its size stops being read (gzip bomb)", async () => {
    const bomb = tarGz([{ name: "pkg-1.0/padding.bin", size: 96 * 1024 * 1024 }, { name: "pkg-1.0/CHANGES.rst", body: changes }]);
    expect(bomb.byteLength).toBeLessThan(200 * 1024);
    const error = await refusal(notesFrom("pkg-1.0.tar.gz", bomb));
    expect(error.message).toMatch(/^pkg-1\.0\.tar\.gz inflates to more than \d+ MB from 0\.\d\d MB; not read further \(an archive bomb\?\)$/);
  });

  it("a zip member that inflates past its limit is refused whatever its header says", async () => {
    const zip = zipSync({ "pkg-1.0/CHANGES.rst": new Uint8Array(64 * 1024) });
    const members = readSdistMembers({ filename: "pkg-1.0.zip", body: new Blob([zip]).stream() }, () => true, { memberBytes: 1024 * 1024, inflatedBytes: 1, ratio: 1, zipBytes: 1024 * 1024 });
    await expect(members).resolves.toMatchObject({ paths: ["CHANGES.rst"] });
    // The central directory claims 100 bytes; the data inflates to 64 KB.
    const lying = zip.slice();
    const directory = lying.findIndex((_, at) => lying[at] === 0x50 && lying[at + 1] === 0x4b && lying[at + 2] === 0x01 && lying[at + 3] === 0x02);
    new DataView(lying.buffer).setUint32(directory + 24, 100, true);
    await expect(readSdistMembers({ filename: "pkg-1.0.zip", body: new Blob([lying]).stream() }, () => true, { memberBytes: 1000, inflatedBytes: 1, ratio: 1, zipBytes: 1024 * 1024 })).rejects.toThrow(
      /^CHANGES\.rst in pkg-1\.0\.zip inflates to more than 0\.00 MB from 0\.\d\d MB; not read further \(an archive bomb\?\)$/,
    );
  });

  it("reads a .zip sdist's changelog, and text that is not UTF-8 as Latin-1", async () => {
    const zip = zipSync({ "pkg-1.0/CHANGES.rst": new TextEncoder().encode(changes), "pkg-1.0/setup.py": new Uint8Array(10) });
    expect((await notesFrom("pkg-1.0.zip", zip)).map((note) => [note.body, note.url])).toEqual([["-   the real notes", "https://files.example/pkg-1.0.zip#CHANGES.rst"]]);
    const latin1 = Buffer.from("1.0\n---\n\n- caf\u00e9 na\u00efve\n", "latin1");
    expect((await notesFrom("pkg-1.0.tar.gz", tarGz([{ name: "pkg-1.0/NEWS", body: latin1 }]))).map((note) => note.body)).toEqual(["- café naïve"]);
  });

  it("an sdist without the changelog of a version in between: the newest uncovered one's sdist is read, and no more", async () => {
    const archives = new Map([
      ["pkg-1.3.tar.gz", tarGz([{ name: "pkg-1.3/PKG-INFO", body: "Name: pkg\n" }])],
      ["pkg-1.2.tar.gz", tarGz([{ name: "pkg-1.2/CHANGES.md", body: "## 1.2\n\n- two\n\n## 1.1\n\n- one\n" }])],
    ]);
    const asked: string[] = [];
    const served = servedBy(archives);
    const source = sdistSource({ index: { sdist: (name, version) => (asked.push(version), served.sdist(name, version)) }, cache: await freshCache(), scope: "test" });
    const notes = await source.fetch(request("pkg", "1.3", ["1.1", "1.2", "1.3"]));
    expect(notes.map((note) => [note.version, note.body])).toEqual([
      ["1.1", "- one"],
      ["1.2", "- two"],
    ]);
    expect(asked).toEqual(["1.3", "1.2"]);
  });

  it("newer sdists that dropped the changelog (Jinja2's since its move to flit): older ones are read newest first until one has it, at most four archives", async () => {
    const bare = (version: string) => tarGz([{ name: `pkg-${version}/PKG-INFO`, body: "Name: pkg\n" }, { name: `pkg-${version}/docs/changes.rst`, body: "Changes\n=======\n\n.. include:: ../CHANGES.rst\n" }]);
    const archives = new Map([
      ["pkg-1.6.tar.gz", bare("1.6")],
      ["pkg-1.5.tar.gz", bare("1.5")],
      ["pkg-1.4.tar.gz", bare("1.4")],
      ["pkg-1.3.tar.gz", tarGz([{ name: "pkg-1.3/CHANGES.rst", body: "Version 1.3\n-----------\n\n-   three\n\nVersion 1.2\n-----------\n\n-   removed the old API\n" }])],
    ]);
    const asked: string[] = [];
    const served = servedBy(archives);
    const source = sdistSource({ index: { sdist: (name, version) => (asked.push(version), served.sdist(name, version)) }, cache: await freshCache(), scope: "test" });
    const notes = await source.fetch(request("pkg", "1.6", ["1.2", "1.3", "1.4", "1.5", "1.6"]));
    expect(notes.map((note) => [note.version, note.body])).toEqual([
      ["1.2", "-   removed the old API"],
      ["1.3", "-   three"],
    ]);
    expect(asked).toEqual(["1.6", "1.5", "1.4", "1.3"]);
    // A package whose sdists never carry notes costs at most four archives a bump.
    const never = sdistSource({ index: { sdist: (name, version) => (asked.push(`never ${version}`), Promise.resolve(version === "x" ? undefined : served.sdist("pkg", "1.6"))) }, cache: await freshCache(), scope: "test" });
    asked.length = 0;
    await never.fetch(request("pkg", "1.6", ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]));
    expect(asked).toHaveLength(4);
  });
});

describe("a release titled with the distribution's own name (pytest's doc/en/changelog.rst)", () => {
  it("pytest 8.4.2 (2025-09-03) is 8.4.2's heading: each version gets its own section", async () => {
    const source = await indexSource(await freshCache());
    const notes = await source.fetch(request("pytest", "8.4.2", ["8.3.5", "8.4.0", "8.4.1", "8.4.2"]));
    expect(notes.map((note) => note.version)).toEqual(["8.3.5", "8.4.0", "8.4.1", "8.4.2"]);
    const latest = notes.find((note) => note.version === "8.4.2");
    expect(latest).toMatchObject({ source: "sdist", url: `${index?.origin}/files/pytest-8.4.2.tar.gz#doc/en/changelog.rst` });
    expect(latest?.body).toContain("#13478");
    expect(latest?.body).not.toContain("pytest 8.4.1");
    // Another name before a version is not a version heading.
    expect(headingVersion("pluggy 1.6.0 (2025-05-15)", pep440Versioning, "pytest")).toBeUndefined();
    expect(headingVersion("pytest 8.4.2 (2025-09-03)", pep440Versioning, "pytest")).toBe("8.4.2");
    expect(headingVersion("pytest 8.4.2 (2025-09-03)", pep440Versioning)).toBeUndefined();
  });
});

describe("notes from the long description (older projects append their changes to the README)", () => {
  const markdownMetadata = [
    "Metadata-Version: 2.1",
    "Name: oldpkg",
    "Version: 2.1.0",
    "Description-Content-Type: text/markdown",
    "",
    "# oldpkg",
    "",
    "Does things. See the docs.",
    "",
    "## Changelog",
    "",
    "### 2.1.0",
    "",
    "- Removed `old_api()`; use `new_api()`.",
    "",
    "### 2.0.1",
    "",
    "- Fixed a crash.",
    "",
  ].join("\n");
  const rstMetadata = ["Metadata-Version: 2.1", "Name: oldpkg", "Version: 2.1.0", "", "oldpkg", "======", "", "Does things.", "", "History", "=======", "", "2.1.0 (2025-01-02)", "------------------", "", "- Removed old_api().", ""].join("\n");

  it("METADATA keeps the description's changelog from its heading on, in its format; a README without one has none", () => {
    expect(parseCoreMetadata(markdownMetadata).changelog).toEqual({ text: expect.stringMatching(/^## Changelog\n\n### 2\.1\.0\n/), format: "markdown" });
    expect(parseCoreMetadata(rstMetadata).changelog).toEqual({ text: expect.stringMatching(/^History\n=======\n/), format: "rst" });
    expect(parseCoreMetadata("Metadata-Version: 2.1\nName: plain\n\n# plain\n\nInstall it.\n").changelog).toBeUndefined();
  });

  it("versions no sdist covers are read from the target's description, labelled as such", async () => {
    const archives = new Map([["oldpkg-2.1.0.tar.gz", tarGz([{ name: "oldpkg-2.1.0/PKG-INFO", body: "Name: oldpkg\n" }])]]);
    const asked: string[] = [];
    const source = sdistSource({
      index: servedBy(archives),
      cache: await freshCache(),
      scope: "test",
      description: async (name, version) => (asked.push(`${name} ${version}`), parseCoreMetadata(markdownMetadata).changelog),
    });
    const notes = await source.fetch(request("oldpkg", "2.1.0", ["2.0.1", "2.1.0"]));
    expect(notes.map((note) => [note.version, note.source, note.body.trim()])).toEqual([
      ["2.0.1", "description", "- Fixed a crash."],
      ["2.1.0", "description", "- Removed `old_api()`; use `new_api()`."],
    ]);
    expect(asked).toEqual(["oldpkg 2.1.0"]);
  });
});
