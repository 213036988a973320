import { describe, expect, it } from "vitest";
import { semverVersioning } from "../../src/ecosystems/npm/versioning.js";
import { heuristicSignals } from "../../src/analysis/heuristics.js";

const fire = (line: string) => heuristicSignals([{ version: "1.2.0", body: line, source: "tarball" }]).map((s) => `${s.rule}:${s.severity}`);

describe("heuristic signals", () => {
  it.each([
    ["### ⚠ BREAKING CHANGES", "heuristic/breaking-change:breaking"],
    ["BREAKING: the `foo` option is gone", "heuristic/breaking-change:breaking"],
    ["This is a breaking change for users of `bar()`", "heuristic/breaking-change:breaking"],
    ["* feat!: drop the legacy API", "heuristic/conventional-breaking:breaking"],
    ["- fix(parser)!: reject empty input", "heuristic/conventional-breaking:breaking"],
    ["Dropped support for Node.js 14", "heuristic/dropped-support:breaking"],
    ["drop support for node < 10.x", "heuristic/dropped-support:breaking"],
    ["The minimum supported Node.js version is now 18", "heuristic/minimum-node:risky"],
    ["Now requires Node.js >= 18.17", "heuristic/minimum-node:risky"],
    ["A session store now requires `secret`", "heuristic/now-requires:risky"],
    ["`res.send(status)` no longer accepts a number", "heuristic/no-longer:risky"],
    ["The default value of `strict` changed to true", "heuristic/default-changed:risky"],
    ["- Removed the `legacy` option", "heuristic/removed:risky"],
    ["Renamed `createClient` to `connect`", "heuristic/renamed:risky"],
    ["`res.redirect('back')` is deprecated", "heuristic/deprecated:info"],
  ])("%s → %s", (line, expected) => {
    expect(fire(line)).toEqual([expected]);
  });

  it.each([
    "Non-breaking: adds a new option",
    "a non breaking internal refactor",
    "This is not a breaking change",
    "Fixed a breaking bug in the parser",
    "fix breaking test on Windows",
    "No breaking changes in this release",
    "Update the README",
    "Bump dependencies",
    "Improve performance of `parse()`",
  ])("does not fire on: %s", (line) => {
    expect(fire(line).filter((rule) => !rule.endsWith(":info"))).toEqual([]);
  });

  it("quotes the exact line, its version and URL", () => {
    const [signal] = heuristicSignals([
      { version: "4.19.0", body: "  * Prevent open redirect\n  * Drop support for Node.js 0.8", source: "tarball", url: "https://x/y.tgz#History.md" },
    ]);
    expect(signal?.evidence).toEqual({ quote: "* Drop support for Node.js 0.8", version: "4.19.0", url: "https://x/y.tgz#History.md" });
  });
});

describe("heuristics that read like a person", () => {
  const note = (body: string, version = "2.30.0") => ({ version, body, source: "changelog-file" as const });

  it("a line that retracts a break does not fire (recorded: express 4.22.1, moment 2.30.0)", () => {
    const express = "  * Revert security fix for CVE-2024-51999\n    * The prior release (4.22.0) included an erroneous breaking change related to the extended query parser. There is no actual security vulnerability associated with this behavior (CVE-2024-51999 has been rejected). The change has been fully reverted in this release.";
    expect(heuristicSignals([note(express, "4.22.1")], { from: "4.21.0", to: "4.22.3", versioning: semverVersioning })).toEqual([]);
    expect(heuristicSignals([note("* Revert https://github.com/moment/moment/pull/5827, because it's breaking")])).toEqual([]);
    expect(heuristicSignals([note("None of the breaking changes affect the public API.")])).toEqual([]);
  });

  it("a line that names only versions outside (from, to] is about another release", () => {
    const line = "- BREAKING: the `foo` option will be removed in 3.0.0";
    expect(heuristicSignals([note(line, "2.4.0")], { from: "2.3.0", to: "2.5.0", versioning: semverVersioning })).toEqual([]);
    expect(heuristicSignals([note("- BREAKING: the `foo` option was removed in 2.4.0", "2.4.0")], { from: "2.3.0", to: "2.5.0", versioning: semverVersioning })).toHaveLength(1);
    // A Node.js version is not a release of the package.
    expect(heuristicSignals([note("- Dropped support for Node.js 16.20.0", "2.4.0")], { from: "2.3.0", to: "2.5.0", versioning: semverVersioning })).toHaveLength(1);
  });

  it("joins a wrapped list item before matching and quotes it whole", () => {
    const [signal] = heuristicSignals([note("- The `timeout` option is no\n  longer applied to retries\n- Faster parsing")]);
    expect(signal?.evidence?.quote).toBe("- The `timeout` option is no longer applied to retries");
  });

  it.each([
    ["- Removed the `legacy` option", true],
    ["- Removed `Client#close()`", true],
    ["- Removes support for IE 11", true],
    ["- Removed unused dependency on left-pad", false],
    ["- Removed a stray console.log", false],
    ["- removed duplicate test", false],
  ])("'Removed …' fires only for an API, option, export, file or platform: %s", (line, fires) => {
    expect(heuristicSignals([note(line)]).some((signal) => signal.rule === "heuristic/removed" || signal.rule === "heuristic/dropped-support")).toBe(fires);
  });

  it("under a breaking-changes heading each item is a break; the heading alone fires only without items", () => {
    const body = "### BREAKING CHANGES\n\n- code relying on the above will now combine the URLs\n- `allowAbsoluteUrls` defaults to true\n\n### Features\n\n- add a thing";
    const signals = heuristicSignals([note(body, "1.8.0")]);
    expect(signals.map((signal) => [signal.severity, signal.evidence?.quote])).toEqual([
      ["breaking", "- code relying on the above will now combine the URLs"],
      ["breaking", "- `allowAbsoluteUrls` defaults to true"],
    ]);
    expect(heuristicSignals([note("## BREAKING CHANGES\n\n## Fixes\n- a fix")]).map((signal) => signal.evidence?.quote)).toEqual(["## BREAKING CHANGES"]);
  });
});
