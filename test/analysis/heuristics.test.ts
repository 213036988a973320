import { describe, expect, it } from "vitest";
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
