import { describe, expect, it } from "vitest";
import { pinRequirementsFile, pinTomlRequirements, rehashRequirementsFile } from "../../../src/ecosystems/pypi/pins.js";
import { bumpPoetryConstraint, bumpSpecifier } from "../../../src/ecosystems/pypi/ranges.js";

function changedLines(before: string, after: string): [string, string][] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, index) => (line === b[index] ? [] : [[line, b[index] ?? ""] as [string, string]]));
}

describe("ranges keep their operators, as Renovate's bump strategy keeps them", () => {
  it("PEP 440: ~=, >=,<, == and ==.* moved to the target; an upper bound the target passes raised at its length", () => {
    const cases: [string, string, string][] = [
      ["~=1.2", "1.4.3", "~=1.4"],
      ["~=0.27.0", "0.28.1", "~=0.28.1"],
      [">=1.2,<2", "1.4", ">=1.4,<2"],
      [">=1.2, <2", "1.4.3", ">=1.4, <2"],
      [">=0.27.0,<0.28", "0.28.1", ">=0.28.1,<0.29"],
      ["==3.6", "3.10", "==3.10"],
      ["==1.2.*", "1.4.1", "==1.4.*"],
      ["!=1.3,>=1.0", "1.4", "!=1.3,>=1.4"],
      [">1.0,<=1.3", "1.4", ">1.0,<=1.4"],
      ["", "1.4", ""],
    ];
    expect(cases.map(([spec, target]) => bumpSpecifier(spec, target))).toEqual(cases.map(([, , expected]) => expected));
  });

  it("Poetry: ^ and ~ keep their length, an exact version stays exact, * stays", () => {
    const cases: [string, string, string][] = [
      ["^1.2", "1.4.3", "^1.4"],
      ["^3.6", "3.10", "^3.10"],
      ["~0.27.0", "0.28.1", "~0.28.1"],
      ["1.2.3", "1.2.9", "1.2.9"],
      ["1.2.*", "1.4.0", "1.4.*"],
      [">=1.2,<2", "1.4", ">=1.4,<2"],
      ["*", "1.4", "*"],
    ];
    expect(cases.map(([spec, target]) => bumpPoetryConstraint(spec, target))).toEqual(cases.map(([, , expected]) => expected));
  });
});

describe("pins edit only the requirement's text: one line per package, the file's layout kept", () => {
  it("PEP 621 dependencies, optional dependencies and dependency groups: operators, extras and markers kept", () => {
    const pyproject = [
      "[project]",
      'name = "orders"  # the service',
      "dependencies = [",
      '    "fastapi>=0.65.1,<1",   # web',
      "    'Google_Auth>=2.41.1,<3',",
      '    "httpx[http2] >=0.27.0,<0.28 ; python_version >= \'3.8\'",',
      '    "PyYAML>=6.0",',
      "]",
      "",
      "[project.optional-dependencies]",
      'yaml = ["pyyaml>=6"]',
      "",
      "[dependency-groups]",
      'dev = ["pytest>=8.0", "ruff"]',
      "",
      "[tool.uv]",
      'dev-dependencies = ["fastapi"]',
    ].join("\n");
    const targets = new Map([["fastapi", "0.65.2"], ["google-auth", "2.50.0"], ["httpx", "0.28.1"], ["pytest", "8.4.2"]]);
    const { text, pinned } = pinTomlRequirements(pyproject, targets, "pep621-or-poetry");
    expect(changedLines(pyproject, text)).toEqual([
      ['    "fastapi>=0.65.1,<1",   # web', '    "fastapi>=0.65.2,<1",   # web'],
      ["    'Google_Auth>=2.41.1,<3',", "    'Google_Auth>=2.50.0,<3',"],
      ['    "httpx[http2] >=0.27.0,<0.28 ; python_version >= \'3.8\'",', '    "httpx[http2] >=0.28.1,<0.29 ; python_version >= \'3.8\'",'],
      ['dev = ["pytest>=8.0", "ruff"]', 'dev = ["pytest>=8.4", "ruff"]'],
    ]);
    expect(pinned.sort()).toEqual(["fastapi", "google-auth", "httpx", "pytest"]);
    const exact = pinTomlRequirements(pyproject, targets, "pep621-or-poetry", "exact").text;
    expect(exact).toContain('"httpx[http2]==0.28.1 ; python_version >= \'3.8\'"');
    expect(exact).toContain('"pytest==8.4.2"');
  });

  it("Poetry tables, plain and inline-table versions; python itself is never moved", () => {
    const pyproject = ['[tool.poetry.dependencies]', 'python = "^3.9"', 'fastapi = "^0.65.1"', 'httpx = { version = "~0.27.0", extras = ["http2"] }  # client', "", "[tool.poetry.group.dev.dependencies]", 'pytest = "^8.0"'].join("\n");
    const { text } = pinTomlRequirements(pyproject, new Map([["fastapi", "0.128.8"], ["httpx", "0.28.1"], ["pytest", "8.4.2"], ["python", "3.12"]]), "pep621-or-poetry");
    expect(changedLines(pyproject, text)).toEqual([
      ['fastapi = "^0.65.1"', 'fastapi = "^0.128.8"'],
      ['httpx = { version = "~0.27.0", extras = ["http2"] }  # client', 'httpx = { version = "~0.28.1", extras = ["http2"] }  # client'],
      ['pytest = "^8.0"', 'pytest = "^8.4"'],
    ]);
  });

  it("a Pipfile keeps its operators and * stays; a requirements file keeps extras, markers and says its hashes must be regenerated", () => {
    const pipfile = ["[packages]", 'fastapi = "==0.65.1"', 'httpx = {version = "~=0.27.0", extras = ["http2"]}', "", "[dev-packages]", 'pytest = "*"'].join("\n");
    expect(changedLines(pipfile, pinTomlRequirements(pipfile, new Map([["fastapi", "0.65.2"], ["httpx", "0.28.1"], ["pytest", "8.4.2"]]), "pipfile").text)).toEqual([
      ['fastapi = "==0.65.1"', 'fastapi = "==0.65.2"'],
      ['httpx = {version = "~=0.27.0", extras = ["http2"]}', 'httpx = {version = "~=0.28.1", extras = ["http2"]}'],
    ]);
    const requirements = ["Django==5.1.1 \\", "    --hash=sha256:aaaa", 'psycopg[c,pool]==3.3.4 ; python_version >= "3.10"', "requests>=2.31"].join("\n");
    const result = pinRequirementsFile(requirements, new Map([["django", "5.1.2"], ["psycopg", "3.3.5"], ["requests", "2.32.0"]]));
    expect(changedLines(requirements, result.text)).toEqual([
      ["Django==5.1.1 \\", "Django==5.1.2 \\"],
      ['psycopg[c,pool]==3.3.4 ; python_version >= "3.10"', 'psycopg[c,pool]==3.3.5 ; python_version >= "3.10"'],
    ]);
    expect(result.hashes).toBe(true);
  });
});

describe("on the fixtures written by the tools", () => {
  it("the demo's pyproject and the Poetry fixture: exactly one changed line per moved package", async () => {
    const { readFile } = await import("node:fs/promises");
    const path = await import("node:path");
    const { fixturesDir } = await import("../../helpers/fake-registry.js");
    const demo = await readFile(path.join(fixturesDir, "demo-python/pyproject.toml"), "utf8");
    const targets = new Map([["fastapi", "0.128.8"], ["google-auth", "2.50.0"], ["httpx", "0.28.1"], ["pyyaml", "6.0.3"], ["pytest", "8.4.2"]]);
    const pinnedDemo = pinTomlRequirements(demo, targets, "pep621-or-poetry");
    // PyYAML>=6.0 already allows 6.0.3 at the length it is written: unchanged (the lock tool moves the version).
    expect(changedLines(demo, pinnedDemo.text)).toHaveLength(4);
    expect(pinnedDemo.text).toContain('"PyYAML>=6.0",');
    const poetry = await readFile(path.join(fixturesDir, "lockfiles/py-poetry/pyproject.toml"), "utf8");
    const pinnedPoetry = pinTomlRequirements(poetry, targets, "pep621-or-poetry");
    expect(changedLines(poetry, pinnedPoetry.text).map(([, after]) => after)).toEqual(['fastapi = "^0.128.8"', 'Google_Auth = ">=2.50.0,<3"', 'httpx = "~0.28.1"', 'pyyaml = "6.0.3"', 'pytest = "^8.4"']);
  });
});

describe("rehashRequirementsFile", () => {
  it("replaces a pinned requirement's hashes in the file's indentation, keeps its comment and the lines around it", () => {
    const text = ["idna==3.10 \\", "  --hash=sha256:aaaa \\", "  --hash=sha256:bbbb", "    # via -r requirements.in", "six==1.17.0 --hash=sha256:cccc  # py2 shims", "certifi==2024.8.30 \\", "  --hash=sha256:dddd", "plain==1.0", ""].join("\n");
    const rehashed = rehashRequirementsFile(text, new Map([["idna", ["1111", "2222", "3333"]], ["six", ["4444"]], ["plain", ["9999"]]]));
    expect(rehashed.split("\n")).toEqual([
      "idna==3.10 \\",
      "  --hash=sha256:1111 \\",
      "  --hash=sha256:2222 \\",
      "  --hash=sha256:3333",
      "    # via -r requirements.in",
      "six==1.17.0 \\",
      "    --hash=sha256:4444  # py2 shims",
      // Not a target: untouched. Without hashes before: none added.
      "certifi==2024.8.30 \\",
      "  --hash=sha256:dddd",
      "plain==1.0",
      "",
    ]);
  });
});
