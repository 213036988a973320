import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { readPythonInventory } from "../../../src/ecosystems/pypi/lockfile/index.js";
import { normaliseName, parseRequirement } from "../../../src/ecosystems/pypi/names.js";
import { poetryRange } from "../../../src/ecosystems/pypi/pyproject.js";
import { fixturesDir } from "../../helpers/fake-registry.js";

// Counts from the tools (fixtures/lockfiles/README.md): `uv export --frozen` (28 pins, 19 without
// --no-dev… i.e. 9 dev-only), the lock's own [[package]] entries for Poetry (34, 10 outside "main"),
// Pipfile.lock's sections, and the pins pip-compile wrote.
const cases = [
  { dir: "demo-python", manager: "uv", total: 28, direct: 5, dev: 9 },
  // numpy is locked four times (one per Python range uv forked on); `uv export --all-extras --all-groups`: 28, without the default groups: 14.
  { dir: "lockfiles/py-uv-groups", manager: "uv", total: 28, direct: 5, dev: 14 },
  // A workspace whose root is not a project: the member's dependencies (importer "api") and the root's dev group
  // from [manifest]; `uv export --all-packages`: 11 pins, 2 without dev.
  { dir: "lockfiles/py-uv-workspace", manager: "uv", total: 11, direct: 3, dev: 9 },
  { dir: "lockfiles/py-poetry", manager: "poetry", total: 34, direct: 5, dev: 10 },
  // lock-version 2.0 (Poetry 1.8.5) records no category: dev-only by reachability. `poetry show` lists 23 for
  // Python 3.11 on Linux, 5 outside main; the lock adds colorama, exceptiongroup and tomli for other platforms.
  { dir: "lockfiles/py-poetry-2.0", manager: "poetry", total: 26, direct: 5, dev: 7 },
  { dir: "lockfiles/py-pipenv", manager: "pipenv", total: 25, direct: 5, dev: 5 },
  { dir: "lockfiles/py-pip-tools", manager: "pip", total: 21, direct: 4, dev: 0 },
  // `uv export --format pylock.toml` of the demo: the same 28 packages; without dependency edges only the declared dev package is dev.
  { dir: "lockfiles/py-pylock", manager: "pylock", total: 28, direct: 5, dev: 1 },
] as const;

describe.each(cases)("$dir", ({ dir, manager, total, direct, dev }) => {
  it("reads the inventory the tool reports, names PEP 503-normalised", async () => {
    const inventory = await readPythonInventory({ projectDir: path.join(fixturesDir, dir) });
    expect(inventory).toMatchObject({ ecosystem: "pypi", manager });
    expect(inventory.packages).toHaveLength(total);
    expect(new Set(inventory.packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name)).size).toBe(direct);
    expect(inventory.packages.filter((pkg) => pkg.dev)).toHaveLength(dev);
    for (const pkg of inventory.packages) expect(pkg.name).toBe(normaliseName(pkg.name));
  });
});

describe("what each reader gets right", () => {
  it("uv: direct from the project's own virtual entry, dev from its dev group, versions as locked", async () => {
    const inventory = await readPythonInventory({ projectDir: path.join(fixturesDir, "demo-python") });
    const direct = inventory.packages.filter((pkg) => pkg.direct).map((pkg) => `${pkg.name}@${pkg.version}${pkg.dev ? " dev" : ""}`);
    expect(direct.sort()).toEqual(["fastapi@0.65.1", "google-auth@2.41.1", "httpx@0.27.0", "pytest@8.0.0 dev", "pyyaml@6.0.1"]);
    expect(inventory.lockRequiresPython).toBe(">=3.9");
  });

  it("uv workspace: each member's lock entry is checked against its own pyproject, and its dependencies carry its folder", async () => {
    const inventory = await readPythonInventory({ projectDir: path.join(fixturesDir, "lockfiles/py-uv-workspace") });
    expect(inventory.packages.filter((pkg) => pkg.direct).map((pkg) => `${pkg.name} ${pkg.importers.join(",")}`)).toEqual(["idna api", "pytest .", "six api"]);
  });

  it("Poetry: `Google_Auth` in pyproject is google-auth, locked twice (one per Python range) and direct both times", async () => {
    const inventory = await readPythonInventory({ projectDir: path.join(fixturesDir, "lockfiles/py-poetry") });
    expect(inventory.packages.filter((pkg) => pkg.name === "google-auth").map((pkg) => pkg.direct)).toEqual([true, true]);
    expect(inventory.pyproject?.requiresPython).toEqual({ range: ">=3.9,<4.0", source: "tool.poetry.dependencies.python in pyproject.toml" });
  });

  it("pip-compile: the direct dependencies are the .in file's, and a -c include in the dev file is a constraint only", async () => {
    const main = await readPythonInventory({ projectDir: path.join(fixturesDir, "lockfiles/py-pip-tools") });
    expect(main.packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name).sort()).toEqual(["fastapi", "google-auth", "httpx", "pyyaml"]);
    const dev = await readPythonInventory({ projectDir: path.join(fixturesDir, "lockfiles/py-pip-tools"), lockfilePath: path.join(fixturesDir, "lockfiles/py-pip-tools/requirements-dev.txt") });
    expect(dev.packages.map((pkg) => `${pkg.name}${pkg.direct ? "*" : ""}`)).toEqual(["iniconfig", "packaging", "pluggy", "pytest*"]);
    expect(dev.packages.every((pkg) => pkg.dev)).toBe(true);
  });

  it("requirements by hand: continuations, comments after them, markers, extras, hashes, -e and URL lines listed but not planned", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-req-"));
    await writeFile(path.join(dir, "requirements.txt"), [
      "# pinned by hand",
      "--index-url https://pypi.org/simple",
      "Django==5.1.1 \\",
      "    --hash=sha256:aaaa \\",
      "    # a comment after a continuation (pip-tools #1063)",
      "psycopg[c,pool]==3.3.4 ; python_version >= \"3.10\"",
      "torch==2.13.0+cpu",
      "requests>=2.31  # a range, not a pin: not locked",
      "-e ./libs/shared",
      "mylib @ https://example.com/mylib-1.0.tar.gz",
      "",
    ].join("\n"));
    const inventory = await readPythonInventory({ projectDir: dir });
    expect(inventory.packages.map((pkg) => `${pkg.name}@${pkg.version}${pkg.source ? ` (${pkg.source.kind} ${pkg.source.url})` : ""}`)).toEqual([
      "./libs/shared@ (path ./libs/shared)",
      "django@5.1.1",
      "mylib@ (url https://example.com/mylib-1.0.tar.gz)",
      "psycopg@3.3.4",
      "torch@2.13.0+cpu",
    ]);
    expect(inventory.packages.every((pkg) => pkg.direct)).toBe(true);
  });
});

describe("bad input: one line naming the file (and the line)", () => {
  async function copy(dir: string): Promise<string> {
    const target = await mkdtemp(path.join(os.tmpdir(), "bumpwise-py-"));
    await cp(path.join(fixturesDir, dir), target, { recursive: true });
    return target;
  }

  async function failure(projectDir: string, lockfilePath?: string): Promise<string> {
    const error = await readPythonInventory({ projectDir, ...(lockfilePath ? { lockfilePath } : {}) }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }

  it("malformed TOML says which file and line", async () => {
    const dir = await copy("demo-python");
    const lock = await readFile(path.join(dir, "uv.lock"), "utf8");
    await writeFile(path.join(dir, "uv.lock"), lock.replace('name = "fastapi"', 'name = "fastapi'));
    expect(await failure(dir)).toMatch(/uv\.lock line \d+: /);
  });

  it("an unknown lock version, a pyproject declaring what the lock lacks, a Pipfile out of sync", async () => {
    const uv = await copy("demo-python");
    const lock = await readFile(path.join(uv, "uv.lock"), "utf8");
    await writeFile(path.join(uv, "uv.lock"), lock.replace(/^version = 1$/m, "version = 9"));
    expect(await failure(uv)).toMatch(/uv\.lock: lock version 9 is not one bumpwise reads/);

    const stale = await copy("demo-python");
    const pyproject = await readFile(path.join(stale, "pyproject.toml"), "utf8");
    await writeFile(path.join(stale, "pyproject.toml"), pyproject.replace('"PyYAML>=6.0",', '"PyYAML>=6.0",\n    "rich>=13",'));
    expect(await failure(stale)).toBe("uv.lock is out of sync with pyproject.toml: rich is declared but not locked; lock again first (uv lock)");

    const poetry = await copy("lockfiles/py-poetry");
    const poetryLock = await readFile(path.join(poetry, "poetry.lock"), "utf8");
    await writeFile(path.join(poetry, "poetry.lock"), poetryLock.replace('lock-version = "2.1"', 'lock-version = "3.0"'));
    expect(await failure(poetry)).toMatch(/lock-version 3\.0 is not one bumpwise reads \(it reads 1\.1, 2\.0 and 2\.1\)/);

    const pipenv = await copy("lockfiles/py-pipenv");
    await writeFile(path.join(pipenv, "Pipfile"), `${await readFile(path.join(pipenv, "Pipfile"), "utf8")}\n[extra-tools]\nrich = "*"\n`);
    expect(await failure(pipenv)).toBe("Pipfile.lock is out of sync with Pipfile: rich is declared but not locked; lock again first (pipenv lock)");
  });

  it("a requirements line that is not a requirement, and an include outside the project", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-req-"));
    await writeFile(path.join(dir, "requirements.txt"), "flask==3.0.0\n<<<<<<< HEAD\n");
    expect(await failure(dir)).toBe("requirements.txt line 2: a merge conflict marker; resolve the conflict first");
    await writeFile(path.join(dir, "requirements.txt"), "-r ../../etc/requirements.txt\n");
    expect(await failure(dir)).toBe('requirements.txt line 1: "../../etc/requirements.txt" is outside the project');
  });

  it("no lockfile at all names what it looked for and the command that makes one, from the project's files", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-none-"));
    const looked = `no lockfile in ${dir} (looked for uv.lock, poetry.lock, Pipfile.lock, pylock.toml, requirements.txt)`;
    expect(await failure(dir)).toBe(`${looked}; make one with \`uv lock\`, or pass --lockfile PATH`);
    await writeFile(path.join(dir, "Pipfile"), "[packages]\nrequests = \"*\"\n");
    expect(await failure(dir)).toBe(`${looked}; make one with \`pipenv lock\`, or pass --lockfile PATH`);
    await writeFile(path.join(dir, "pyproject.toml"), '[tool.poetry]\nname = "app"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n');
    expect(await failure(dir)).toBe(`${looked}; make one with \`poetry lock\`, or pass --lockfile PATH`);
    await writeFile(path.join(dir, "requirements.in"), "fastapi\n");
    expect(await failure(dir)).toBe(`${looked}; make one with \`uv pip compile requirements.in -o requirements.txt\`, or pass --lockfile PATH`);
  });

  it("requirements that are ranges, not pins, are counted and named, not silently dropped", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-ranges-"));
    await writeFile(path.join(dir, "requirements.txt"), "idna==3.6\nrequests>=2.0\nflask\n");
    const inventory = await readPythonInventory({ projectDir: dir });
    expect(inventory.packages.map((pkg) => pkg.name)).toEqual(["idna"]);
    expect(inventory.notes).toEqual(["2 requirements are ranges, not pins: not reviewed (requests >=2.0 (requirements.txt:2), flask (requirements.txt:3)); pin them (`uv pip compile`, `pip-compile`) to have them reviewed"]);
  });
});

describe("names and specifiers", () => {
  it("PEP 503 names, PEP 508 requirements, Poetry constraints as PEP 440", () => {
    expect(normaliseName("Google_Auth")).toBe("google-auth");
    expect(normaliseName("zope.interface")).toBe("zope-interface");
    expect(parseRequirement('httpx[http2] >=0.27 ,<0.28 ; python_version >= "3.8"')).toEqual({ name: "httpx", extras: ["http2"], specifier: ">=0.27,<0.28", marker: 'python_version >= "3.8"' });
    expect(parseRequirement("pydantic (>=1.6.2,<2.0.0)")).toMatchObject({ name: "pydantic", specifier: ">=1.6.2,<2.0.0" });
    expect(parseRequirement("mylib @ https://example.com/x.tar.gz")).toMatchObject({ name: "mylib", url: "https://example.com/x.tar.gz" });
    expect(parseRequirement("<<<<<<< HEAD")).toBeUndefined();
    expect(poetryRange("^1.2.3")).toBe(">=1.2.3,<2.0");
    expect(poetryRange("^0.2.3")).toBe(">=0.2.3,<0.3");
    expect(poetryRange("~1.2.3")).toBe(">=1.2.3,<1.3");
    expect(poetryRange("1.2.3")).toBe("==1.2.3");
    expect(poetryRange(">= 1.2, < 2")).toBe(">=1.2,<2");
    expect(poetryRange("*")).toBe("");
  });
});

describe("packages from elsewhere than the index (uv lock of fixtures/lockfiles/py-uv-sources)", () => {
  it("direct-URL dependencies in [project] and in a dependency group are in sync; each package says where it came from", async () => {
    const inventory = await readPythonInventory({ projectDir: path.join(fixturesDir, "lockfiles/py-uv-sources") });
    expect(inventory.packages.map((pkg) => [pkg.name, pkg.direct, pkg.dev, pkg.source?.kind ?? "index", pkg.source?.kind === "registry" ? pkg.source.url : undefined])).toEqual([
      ["idna", true, false, "registry", "http://127.0.0.1:8765/simple"],
      ["iniconfig", true, true, "url", undefined],
      ["pyyaml", true, false, "index", undefined],
      ["six", true, false, "url", undefined],
    ]);
  });
});

describe("pip-compile pyproject.toml (fixtures/lockfiles/py-pip-compile-pyproject, written by pip-compile 7.7.0)", () => {
  it("the direct dependencies are [project] dependencies: starlette, pinned via fastapi, is transitive", async () => {
    const inventory = await readPythonInventory({ projectDir: path.join(fixturesDir, "lockfiles/py-pip-compile-pyproject") });
    expect(inventory.packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name)).toEqual(["fastapi", "pyyaml"]);
    expect(inventory.packages.find((pkg) => pkg.name === "starlette")).toMatchObject({ version: "0.46.2", direct: false });
  });
});
