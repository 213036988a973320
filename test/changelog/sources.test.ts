import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNotesCollector, type GitHubAllowance } from "../../src/changelog/index.js";
import { githubRepository } from "../../src/changelog/repository.js";
import { githubChangelogSource } from "../../src/changelog/sources/github-changelog.js";
import { githubReleasesSource, tagVersion } from "../../src/changelog/sources/github-releases.js";
import { isPackagedChangelog, tarballSource } from "../../src/ecosystems/npm/notes/tarball.js";
import { NotesSourceError } from "../../src/changelog/types.js";
import { pep440Versioning } from "../../src/ecosystems/pypi/versioning.js";
import { createGitHubClient } from "../../src/github/client.js";
import { openCache } from "../../src/registry/cache.js";
import { loadRegistryOptions } from "../../src/ecosystems/npm/registry/config.js";
import { createTarballReader, readFiles } from "../../src/ecosystems/npm/registry/tarball.js";
import { isDeclarationFile } from "../../src/ecosystems/npm/api/declarations.js";
import { create as tarCreate } from "tar";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github.js";
import { type FakeRegistry, startFakeRegistry } from "../helpers/fake-registry.js";

let github: FakeGitHub;
let registry: FakeRegistry;
beforeEach(async () => {
  github = await startFakeGitHub();
  registry = await startFakeRegistry();
});
afterEach(async () => {
  await github.close();
  await registry.close();
});

const client = (extra: { token?: string } = {}) => createGitHubClient({ baseUrl: github.url, retryBaseMs: 5, maxRateLimitWaitSeconds: 2, ...extra });
const request = (name: string, versions: string[], repository = githubRepository({ repository: `github:${name}` })) => ({
  name: name.split("/")[1] ?? name,
  to: versions.at(-1) ?? "",
  versions,
  manifest: { version: versions.at(-1) ?? "" },
  repository,
});

describe("repository resolution", () => {
  it.each([
    ["github:o/r", { owner: "o", repo: "r" }],
    ["o/r", { owner: "o", repo: "r" }],
    ["git+https://github.com/o/r.git", { owner: "o", repo: "r" }],
    ["git+ssh://git@github.com/o/r.git", { owner: "o", repo: "r" }],
    ["git://github.com/o/r.git", { owner: "o", repo: "r" }],
    ["https://github.com/o/r/tree/main/packages/x", { owner: "o", repo: "r", directory: "packages/x" }],
  ])("%s", (url, expected) => {
    expect(githubRepository({ repository: url })).toEqual(expected);
  });

  it("reads objects with a directory, then falls back to homepage and bugs", () => {
    expect(githubRepository({ repository: { type: "git", url: "https://github.com/DefinitelyTyped/DefinitelyTyped.git", directory: "types/node" } })).toEqual({
      owner: "DefinitelyTyped",
      repo: "DefinitelyTyped",
      directory: "types/node",
    });
    expect(githubRepository({ homepage: "https://github.com/o/r#readme" })).toEqual({ owner: "o", repo: "r" });
    expect(githubRepository({ bugs: { url: "https://github.com/o/r/issues" } })).toEqual({ owner: "o", repo: "r" });
    expect(githubRepository({ repository: "https://gitlab.com/o/r" })).toBeUndefined();
  });
});

describe("tag matching", () => {
  it.each([
    ["v1.2.3", "pkg", "1.2.3"],
    ["1.2.3", "pkg", "1.2.3"],
    ["pkg@1.2.3", "pkg", "1.2.3"],
    ["@scope/pkg@1.2.3", "@scope/pkg", "1.2.3"],
    ["pkg@1.2.3", "@scope/pkg", "1.2.3"],
    ["pkg-v1.2.3", "pkg", "1.2.3"],
    ["v2.0.0-beta.1", "pkg", "2.0.0-beta.1"],
  ])("%s for %s → %s", (tag, name, version) => {
    expect(tagVersion(tag, name)).toBe(version);
  });

  it.each([
    ["@babel/parser@7.1.0", "@babel/core"],
    ["other@1.2.3", "pkg"],
    ["nightly", "pkg"],
  ])("%s is not a tag of %s", (tag, name) => {
    expect(tagVersion(tag, name)).toBeUndefined();
  });
});

describe("GitHub releases", () => {
  it("finds the releases of the wanted versions, not drafts or others", async () => {
    const notes = await githubReleasesSource(client()).fetch(request("debug-js/debug", ["4.3.4", "4.3.5", "4.4.0"]));
    expect(notes.map((note) => [note.version, note.url])).toEqual([
      ["4.4.0", "https://github.com/debug-js/debug/releases/tag/4.4.0"],
      ["4.3.5", "https://github.com/debug-js/debug/releases/tag/4.3.5"],
    ]);
    expect(github.requests.map((r) => r.url)).toEqual(["/repos/debug-js/debug/releases?per_page=100&page=1"]);
  });

  it("pages through a long release list", async () => {
    const releases = Array.from({ length: 150 }, (_, i) => ({
      tag_name: `v1.${149 - i}.0`,
      body: `release ${149 - i}`,
      html_url: `https://github.com/o/r/releases/tag/v1.${149 - i}.0`,
      draft: false,
    }));
    github.releases("o/r", releases);
    const notes = await githubReleasesSource(client()).fetch(request("o/r", ["1.10.0"]));
    expect(notes).toEqual([{ version: "1.10.0", body: "release 10", source: "github-release", url: "https://github.com/o/r/releases/tag/v1.10.0" }]);
    expect(github.requests.map((r) => r.url)).toEqual(["/repos/o/r/releases?per_page=100&page=1", "/repos/o/r/releases?per_page=100&page=2"]);
  });

  it("sends the token when there is one", async () => {
    await githubReleasesSource(client({ token: "ghp_secret" })).fetch(request("tj/commander.js", ["11.1.0"]));
    expect(github.requests[0]?.authorization).toBe("token ghp_secret");
  });

  it("a 403 rate limit is a rate-limited error that names the reset time", async () => {
    github.override("/repos/", { status: 403, rateLimited: true });
    const error = await githubReleasesSource(client()).fetch(request("tj/commander.js", ["11.1.0"])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotesSourceError);
    expect((error as NotesSourceError).code).toBe("rate-limited");
    expect((error as Error).message).toMatch(/^GitHub refused releases of tj\/commander\.js \(403\): rate limit reached; it resets at \d{4}-/);
  });

  it("a 429 with a short retry-after is waited out once", async () => {
    github.override("/repos/", { status: 429, rateLimited: true, retryAfterSeconds: 1, times: 1 });
    const notes = await githubReleasesSource(client()).fetch(request("tj/commander.js", ["11.1.0"]));
    expect(notes.map((note) => note.version)).toEqual(["11.1.0"]);
    expect(github.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("a 5xx is retried, then reported", async () => {
    github.override("/repos/", { status: 502, times: 1 });
    expect(await githubReleasesSource(client()).fetch(request("tj/commander.js", ["11.1.0"]))).toHaveLength(1);
    github.override("/repos/", { status: 503 });
    const error = await githubReleasesSource(client()).fetch(request("tj/commander.js", ["11.1.0"])).catch((e: unknown) => e);
    expect((error as NotesSourceError).code).toBe("unavailable");
    expect((error as Error).message).toBe("GitHub failed on releases of tj/commander.js (503)");
  });
});

describe("repository changelog file", () => {
  it("looks in repository.directory first, then the root", async () => {
    const repository = { owner: "uuidjs", repo: "uuid", directory: "packages/uuid" };
    const notes = await githubChangelogSource(client()).fetch(request("uuidjs/uuid", ["9.0.0", "9.0.1"], repository));
    expect(notes.map((note) => [note.version, note.source, note.url])).toEqual([
      ["9.0.0", "changelog-file", "https://github.com/uuidjs/uuid/blob/main/CHANGELOG.md"],
      ["9.0.1", "changelog-file", "https://github.com/uuidjs/uuid/blob/main/CHANGELOG.md"],
    ]);
    expect(notes[1]?.body).toBe("### build\n\n- Fix CI to work with Node.js 20.x");
    expect(github.requests.map((r) => r.url)).toEqual([
      "/repos/uuidjs/uuid/contents/packages/uuid",
      "/repos/uuidjs/uuid/contents",
      "/repos/uuidjs/uuid/contents/CHANGELOG.md",
    ]);
  });
});

describe("npm tarball", () => {
  async function tarballs() {
    const options = await loadRegistryOptions({ projectDir: os.tmpdir(), registry: registry.url, env: { npm_config_fetch_retries: "0" } });
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-tarball-"));
    return { tarballs: createTarballReader({ options, keep: { always: isPackagedChangelog } }), cache: openCache(cacheDir) };
  }
  const manifest = (name: string, version: string) => ({ version, tarball: `${registry.url}${name}/-/${name}-${version}.tgz` });

  it("reads the changelog at the package root of the target version", async () => {
    const source = tarballSource(await tarballs());
    const notes = await source.fetch({ name: "express", to: "4.22.3", versions: ["4.21.2", "4.22.0"], manifest: manifest("express", "4.22.3"), repository: undefined });
    expect(notes.map((note) => note.version)).toEqual(["4.21.2", "4.22.0"]);
    expect(notes[0]?.url).toBe(`${registry.url}express/-/express-4.22.3.tgz#History.md`);
  });

  it("a package without a changelog gives nothing; a missing tarball is an error", async () => {
    const source = tarballSource(await tarballs());
    expect(await source.fetch({ name: "lodash", to: "4.18.1", versions: ["4.18.1"], manifest: manifest("lodash", "4.18.1"), repository: undefined })).toEqual([]);
    const error = await source
      .fetch({ name: "lodash", to: "9.9.9", versions: ["9.9.9"], manifest: manifest("lodash", "9.9.9"), repository: undefined })
      .catch((e: unknown) => e);
    expect((error as NotesSourceError).code).toBe("not-found");
  });
});

describe("one tarball read for the API diff and the notes", () => {
  it("a tarball read for its declarations is not downloaded again for its changelog, whichever asks first", async () => {
    const options = await loadRegistryOptions({ projectDir: os.tmpdir(), registry: registry.url, env: { npm_config_fetch_retries: "0" } });
    const tarballs = createTarballReader({ options, keep: { always: (file) => isPackagedChangelog(file) || file === "package.json" } });
    const url = `${registry.url}express/-/express-4.22.3.tgz`;
    const downloads = () => registry.requests.filter((request) => request.url.endsWith(".tgz")).length;
    const contents = await tarballs.read("express", "4.22.3", url, undefined);
    expect(contents.files.map((file) => file.path).sort()).toEqual(["History.md", "package.json"]);
    expect(contents.paths.sort()).toEqual(["History.md", "package.json"]);
    expect(downloads()).toBe(1);
    const source = tarballSource({ tarballs, cache: openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-tarball-"))) });
    const notes = await source.fetch({ name: "express", to: "4.22.3", versions: ["4.21.2", "4.22.0"], manifest: { version: "4.22.3", tarball: url }, repository: undefined });
    expect(notes.map((note) => note.version)).toEqual(["4.21.2", "4.22.0"]);
    expect(downloads()).toBe(1);
  });

  it("declarations past the limits overflow wherever they sit (lucide-react ships 15 MB at its root), and the changelog is still kept", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pack-"));
    await mkdir(path.join(dir, "package"));
    // Four files of 3.5 MB, each under the 4 MB a member may have: 14 MB in all.
    const declaration = `export declare const icon: string;\n${"// icons\n".repeat(390_000)}`;
    for (const name of ["dynamic", "dynamicIconImports", "icons", "prefixed"]) await writeFile(path.join(dir, "package", `${name}.d.ts`), declaration);
    await writeFile(path.join(dir, "package", "CHANGELOG.md"), "## 1.1.0\n\n- new icons\n");
    const tarball = await streamToBuffer(tarCreate({ gzip: true, cwd: dir }, ["package"]));
    const contents = await readFiles(tarball, { always: isPackagedChangelog, bounded: isDeclarationFile });
    expect(contents.overflow).toBe(true);
    expect(contents.files.map((file) => file.path)).toEqual(["CHANGELOG.md"]);
    expect(contents.paths.sort()).toEqual(["CHANGELOG.md", "dynamic.d.ts", "dynamicIconImports.d.ts", "icons.d.ts", "prefixed.d.ts"]);
  });

  it("the contents held for later readers are bounded: past the bound, the least recently read is dropped and read again when asked", async () => {
    const options = await loadRegistryOptions({ projectDir: os.tmpdir(), registry: registry.url, env: { npm_config_fetch_retries: "0" } });
    // express's History.md is ~120 KB: the bound holds one of them.
    const tarballs = createTarballReader({ options, keep: { always: isPackagedChangelog }, heldChars: 150_000 });
    const [older, newer] = ["4.18.3", "4.22.3"].map((version) => `${registry.url}express/-/express-${version}.tgz`) as [string, string];
    const downloads = (url: string) => registry.requests.filter((request) => url.endsWith(request.url)).length;
    await tarballs.read("express", "4.22.3", newer, undefined);
    await tarballs.read("express", "4.18.3", older, undefined);
    await tarballs.read("express", "4.18.3", older, undefined);
    expect(downloads(older)).toBe(1);
    await tarballs.read("express", "4.22.3", newer, undefined);
    expect(downloads(newer)).toBe(2);
  });

  it("a tarball that does not match the integrity the registry gives is an error, and nothing of it is kept", async () => {
    const options = await loadRegistryOptions({ projectDir: os.tmpdir(), registry: registry.url, env: { npm_config_fetch_retries: "0" } });
    const tarballs = createTarballReader({ options, keep: { always: isPackagedChangelog } });
    const url = `${registry.url}express/-/express-4.22.3.tgz`;
    const wrong = `sha512-${Buffer.alloc(64, 7).toString("base64")}`;
    await expect(tarballs.read("express", "4.22.3", url, wrong)).rejects.toMatchObject({ code: "invalid", message: "the tarball of express@4.22.3 failed its integrity check" });
    const contents = await tarballs.read("express", "4.22.3", url, undefined);
    expect(contents.files.map((file) => file.path)).toEqual(["History.md"]);
  });
});

describe("npm tarball failures", () => {
  it("a registry 5xx on the tarball is an error for that source, and the next source is tried", async () => {
    registry.override("express", { status: 503 });
    const options = await loadRegistryOptions({ projectDir: os.tmpdir(), registry: registry.url, env: { npm_config_fetch_retries: "0" } });
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-tarball-"));
    const cache = openCache(cacheDir);
    const collector = createNotesCollector({
      sources: [tarballSource({ tarballs: createTarballReader({ options, keep: { always: isPackagedChangelog } }), cache }), githubReleasesSource(client())],
      cache,
      github: { calls: 40 },
    });
    const result = await collector.collect(
      { name: "express", to: "4.22.3", versionsInBetween: ["4.22.3"] },
      { version: "4.22.3", tarball: `${registry.url}express/-/express-4.22.3.tgz`, repository: "github:expressjs/express" },
    );
    expect(result.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(["tarball:error", "github-release:error"]);
    expect(result.attempts[0]?.detail).toBe("cannot fetch the tarball of express@4.22.3 (503)");
    expect(result.notes.missing).toEqual(["4.22.3"]);
  });
});

describe("the collector", () => {
  it("tries sources in order for what is still missing, and closes GitHub after a rate limit", async () => {
    github.override("/repos/tj/", { status: 403, rateLimited: true });
    const allowance: GitHubAllowance = { calls: 40 };
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-notes-"));
    const collector = createNotesCollector({ sources: [githubReleasesSource(client()), githubChangelogSource(client())], cache: openCache(cacheDir), github: allowance });
    const commander = await collector.collect(
      { name: "commander", to: "11.1.0", versionsInBetween: ["11.1.0"] },
      { version: "11.1.0", repository: "github:tj/commander.js" },
    );
    expect(commander.notes).toEqual({ versions: [], missing: ["11.1.0"] });
    expect(commander.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(["github-release:error", "changelog-file:skipped"]);
    expect(commander.attempts[0]?.detail).toMatch(/^GitHub refused releases of tj\/commander\.js \(403\): rate limit reached/);
    expect(allowance.closedBecause).toBe("GitHub's rate limit was reached earlier in this run");
    const uuid = await collector.collect({ name: "uuid", to: "9.0.1", versionsInBetween: ["9.0.1"] }, { version: "9.0.1", repository: "github:uuidjs/uuid" });
    expect(uuid.attempts.every((a) => a.outcome === "skipped")).toBe(true);
    // Said for uuid's own repository, not with commander's.
    expect(uuid.attempts[0]?.detail).toBe("GitHub's rate limit was reached earlier in this run; uuidjs/uuid not asked");
    expect(github.requests).toHaveLength(1);
  });

  it("an unreachable GitHub is named as such and not asked again in the run", async () => {
    const unreachable = createGitHubClient({ baseUrl: "http://127.0.0.1:9", retryBaseMs: 5 });
    const allowance: GitHubAllowance = { calls: 40 };
    const collector = createNotesCollector({
      sources: [githubReleasesSource(unreachable), githubChangelogSource(unreachable)],
      cache: openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-notes-"))),
      github: allowance,
    });
    const result = await collector.collect({ name: "uuid", to: "9.0.1", versionsInBetween: ["9.0.1"] }, { version: "9.0.1", repository: "github:uuidjs/uuid" });
    expect(result.attempts.map((a) => `${a.source}:${a.outcome}:${a.detail}`)).toEqual([
      "github-release:error:cannot reach GitHub for releases of uuidjs/uuid",
      "changelog-file:skipped:GitHub could not be reached earlier in this run; uuidjs/uuid not asked",
    ]);
  });

  it("a GitHub that gives no answer (connection reset) is tried once in the run: no retries, no later requests", async () => {
    let connections = 0;
    const resetting = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
    try {
      const port = (resetting.address() as net.AddressInfo).port;
      const silent = createGitHubClient({ baseUrl: `http://127.0.0.1:${port}`, retryBaseMs: 5 });
      for (let attempt = 0; attempt < 3; attempt++) {
        await silent.request("GET /repos/{owner}/{repo}/releases", { owner: "o", repo: "r" }).catch(() => undefined);
      }
      expect(connections).toBe(1);
    } finally {
      resetting.close();
    }
  });

  it("does not ask again for a day about versions no source had notes for", async () => {
    let clock = Date.now();
    const cache = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-notes-")));
    const collect = async () => {
      await cache.flush();
      const collector = createNotesCollector({ sources: [githubReleasesSource(client())], cache, github: { calls: 40 }, now: () => clock });
      return collector.collect({ name: "commander", to: "11.0.0", versionsInBetween: ["10.9.9", "11.0.0"] }, { version: "11.0.0", repository: "github:tj/commander.js" });
    };
    expect((await collect()).notes).toMatchObject({ missing: ["10.9.9"] });
    expect(github.requests).toHaveLength(1);
    const again = await collect();
    expect(again.notes.missing).toEqual(["10.9.9"]);
    expect(github.requests).toHaveLength(1);
    clock += 25 * 60 * 60 * 1000;
    await collect();
    expect(github.requests).toHaveLength(2);
  });

  it("stops asking GitHub when the unauthenticated allowance is spent", async () => {
    const allowance: GitHubAllowance = { calls: 1 };
    const collector = createNotesCollector({
      sources: [githubReleasesSource(client()), githubChangelogSource(client())],
      cache: openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-notes-"))),
      github: allowance,
    });
    const result = await collector.collect({ name: "uuid", to: "9.0.1", versionsInBetween: ["9.0.1"] }, { version: "9.0.1", repository: "github:uuidjs/uuid" });
    expect(result.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(["github-release:error", "changelog-file:skipped"]);
    expect(result.attempts[1]?.detail).toBe("no GitHub calls left for this run (set GITHUB_TOKEN)");
  });
});

describe("changelogs below the repository root (one git-tree call)", () => {
  it("FastAPI's docs/en/docs/release-notes.md, sliced PEP 440-aware, `## Latest Changes` not a release", async () => {
    const notes = await githubChangelogSource(client()).fetch({ ...request("fastapi/fastapi", ["0.65.2", "0.65.3"]), versioning: pep440Versioning });
    expect(notes.map((note) => [note.version, note.url])).toEqual([
      ["0.65.2", "https://github.com/fastapi/fastapi/blob/HEAD/docs/en/docs/release-notes.md"],
      ["0.65.3", "https://github.com/fastapi/fastapi/blob/HEAD/docs/en/docs/release-notes.md"],
    ]);
    expect(notes[0]?.body).toContain("Check Content-Type request header before assuming JSON");
    expect(github.requests.filter((entry) => entry.url.includes("/git/trees/"))).toHaveLength(1);
  });

  it("Django's one file per version (docs/releases/5.1.1.txt): each whole file is that version's notes, a missing one stays missing", async () => {
    const notes = await githubChangelogSource(client()).fetch({ ...request("django/django", ["5.1.1", "5.1.2", "5.1.3"]), versioning: pep440Versioning });
    expect(notes.map((note) => note.version)).toEqual(["5.1.1", "5.1.2"]);
    expect(notes[0]?.body).toMatch(/^=+\nDjango 5\.1\.1 release notes/);
    expect(notes[1]?.body).toContain("no longer\n  called ``delete()``");
  });
});

describe("what the collector remembers", () => {
  // Two sources that count their calls: a permanent one (a tarball's changelog) with notes for 1.1.0 only,
  // and one that has nothing.
  const counting = (name: "tarball" | "github-release", permanent: boolean, has: string[]) => {
    const source = {
      name,
      permanent,
      calls: [] as string[][],
      async fetch({ versions }: { versions: string[] }) {
        source.calls.push(versions);
        return versions.filter((version) => has.includes(version)).map((version) => ({ version, body: `notes of ${version}`, source: name }));
      },
    };
    return source;
  };

  it("reads a bump's notes in one cache read; a permanent source's misses are kept for good per target, another's for a day", async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-notes-memory-"));
    const tarball = counting("tarball", true, ["1.1.0"]);
    const releases = counting("github-release", false, []);
    let clock = Date.parse("2026-12-01T00:00:00Z");
    const collect = async (to: string, versionsInBetween: string[]) => {
      const cache = openCache(cacheDir);
      const reads: string[] = [];
      const counted = { ...cache, get: <T>(key: string) => (reads.push(key), cache.get<T>(key)) };
      const result = await createNotesCollector({ sources: [tarball, releases], cache: counted, github: { calls: 40 }, now: () => clock }).collect({ name: "pkg", to, versionsInBetween }, { version: to, repository: "github:acme/pkg" });
      await cache.flush();
      return { ...result, reads };
    };
    const first = await collect("1.2.0", ["1.1.0", "1.2.0"]);
    expect(first.notes).toMatchObject({ versions: [{ version: "1.1.0" }], missing: ["1.2.0"] });
    expect(first.reads).toHaveLength(1);
    const again = await collect("1.2.0", ["1.1.0", "1.2.0"]);
    expect(again.notes).toEqual(first.notes);
    expect(again.reads).toHaveLength(1);
    // Neither source was asked again within the day.
    expect(tarball.calls).toEqual([["1.1.0", "1.2.0"]]);
    expect(releases.calls).toEqual([["1.2.0"]]);
    clock += 25 * 60 * 60 * 1000;
    await collect("1.2.0", ["1.1.0", "1.2.0"]);
    expect(tarball.calls).toHaveLength(1);
    expect(releases.calls).toEqual([["1.2.0"], ["1.2.0"]]);
    // A new target is another tarball: asked for what is still missing.
    await collect("1.3.0", ["1.1.0", "1.2.0", "1.3.0"]);
    expect(tarball.calls.at(-1)).toEqual(["1.2.0", "1.3.0"]);
    // A new revision of the source (it learned to find more) asks again what an older one missed for good.
    Object.assign(tarball, { revision: 2 });
    const calls = tarball.calls.length;
    await collect("1.2.0", ["1.1.0", "1.2.0"]);
    expect(tarball.calls.slice(calls)).toEqual([["1.2.0"]]);
  });
});

async function streamToBuffer(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
