import os from "node:os";
import { describe, expect, it } from "vitest";
import { useFakeIndex } from "../helpers/fake-pypi.js";
import type { BumpReview } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";

const world = useCliWorld();
// A name npm does not have is looked up on the Python index too (for a hint): the local one.
// A fresh local index for every test (UV_INDEX_URL).
useFakeIndex(world);
const explain = (...argv: string[]) => world.bumpwise(os.tmpdir(), "explain", ...argv, "--registry", world.registry.url);

describe("bumpwise explain", () => {
  it("--json prints one bump shaped like the review report's bumps[] entries", async () => {
    const { code, stdout } = await explain("express", "4.21.0", "4.22.3", "--json");
    expect(code).toBe(0);
    const bump = JSON.parse(stdout) as BumpReview;
    expect(Object.keys(bump)).toEqual(
      expect.arrayContaining(["name", "from", "to", "type", "versionsInBetween", "releaseNotes", "signals", "verdict", "notesSources"]),
    );
    expect(bump).toMatchObject({ name: "express", from: "4.21.0", to: "4.22.3", type: "minor" });
    expect(bump.releaseNotes.versions.map((v) => [v.version, v.source])).toEqual(bump.versionsInBetween.map((v) => [v, "tarball"]));
    expect(bump.releaseNotes.missing).toEqual([]);
    // 4.22.1 says its "erroneous breaking change … has been fully reverted in this release": a retraction, not a break.
    expect(bump.signals.filter((s) => s.rule === "heuristic/breaking-change")).toEqual([]);
  });

  it("shows the sources tried, the notes per version and what is missing", async () => {
    const { code, stdout } = await explain("debug", "4.3.4", "4.4.0");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^debug 4\.3\.4 → 4\.4\.0 \(minor\): risky/);
    // Only 4.4.3's tarball is recorded: the missing one degrades to GitHub.
    expect(stdout).toMatch(/tarball +error +cannot fetch the tarball of debug@4\.4\.0 \(404\)/);
    expect(stdout).toMatch(/github-release +found +notes for 4 of 4 versions/);
    expect(stdout).toContain("── 4.4.0 (github-release, https://github.com/debug-js/debug/releases/tag/4.4.0)");
    expect(stdout).toContain('"Patch release: `%o` formatting of getters no longer throws." (4.3.5)');
  });

  it.each([
    [["no-such-package-here", "1.0.0", "1.1.0"], /^bumpwise: no-such-package-here is not on the registry \(404\)$/],
    [["express", "4.18.2", "4.99.0"], /^bumpwise: express@4\.99\.0 is not published$/],
    [["fastapi", "0.65.1", "0.65.2"], /^bumpwise: fastapi is not on the registry \(404\); fastapi 0\.65\.1 and 0\.65\.2 are on the Python package index \(PyPI\): pass --ecosystem pypi$/],
    [["express", "4.18.2", "latest"], /"latest" is not a version/],
  ])("bad input %j exits 2 with one line", async (argv, message) => {
    const { code, stderr } = await explain(...argv);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(message);
  });

  it("accepts tag-style versions (v4.18.2) and reviews a major with the same evidence, labelled as one", async () => {
    const version = (v: string) => ({ name: "majorly", version: v, dist: { tarball: `${world.registry.url}/majorly/-/majorly-${v}.tgz` } });
    world.registry.publish("majorly", { name: "majorly", "dist-tags": { latest: "2.0.0" }, versions: { "1.4.0": version("1.4.0"), "2.0.0": version("2.0.0") }, time: { "1.4.0": "2024-01-01T00:00:00.000Z", "2.0.0": "2025-01-01T00:00:00.000Z" } });
    const { code, stdout, stderr } = await explain("majorly", "v1.4.0", "v2.0.0", "--no-github");
    expect(code, stderr).toBe(0);
    expect(stdout.split("\n")[0]).toMatch(/^majorly 1\.4\.0 → 2\.0\.0 \(major, reviewed with the same evidence as a minor\): \w+/);
    // The signals come before the release notes' text.
    expect(stdout.indexOf("Signals (")).toBeLessThan(stdout.indexOf("Release notes ("));
  });
});
