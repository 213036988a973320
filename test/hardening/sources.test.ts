import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { useFakeIndex } from "../helpers/fake-pypi.js";

const world = useCliWorld();
const pypi = useFakeIndex(world);

// Every name below is on the fake index too (fixtures/pypi): planned from it, each would be a bump.
// pyyaml alone comes from the default index. Lockfiles trimmed to what the readers use, in each tool's format.
const privateIndex = "https://private.example/simple";
const git = "https://github.com/encode/httpx";

const projects: [string, Record<string, string>, [string, string][]][] = [
  ["uv.lock", {
    "pyproject.toml": `[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["django==5.1.1", "flask", "httpx", "pyyaml>=6.0,<6.0.2"]\n\n[tool.uv]\npackage = false\n\n[[tool.uv.index]]\nname = "private"\nurl = "${privateIndex}"\nexplicit = true\n\n[tool.uv.sources]\ndjango = { index = "private" }\nflask = { path = "libs/flask" }\nhttpx = { git = "${git}", rev = "0.27.0" }\n`,
    "uv.lock": `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "demo"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [\n    { name = "django" },\n    { name = "flask" },\n    { name = "httpx" },\n    { name = "pyyaml" },\n]\n\n[package.metadata]\nrequires-dist = [\n    { name = "django", specifier = "==5.1.1", index = "${privateIndex}" },\n    { name = "flask", directory = "libs/flask" },\n    { name = "httpx", git = "${git}?rev=0.27.0" },\n    { name = "pyyaml", specifier = ">=6.0,<6.0.2" },\n]\n\n[[package]]\nname = "django"\nversion = "5.1.1"\nsource = { registry = "${privateIndex}" }\n\n[[package]]\nname = "flask"\nversion = "3.0.0"\nsource = { directory = "libs/flask" }\n\n[[package]]\nname = "httpx"\nversion = "0.27.0"\nsource = { git = "${git}?rev=0.27.0#4b85e6c38e6aed9a5f8a5b2d3e2a1f0c9b8a7d6e" }\n\n[[package]]\nname = "pyyaml"\nversion = "6.0.1"\nsource = { registry = "https://pypi.org/simple" }\n`,
  }, [["django", `not planned: from ${privateIndex}`], ["flask", "not planned: path"], ["httpx", "not planned: git"]]],
  ["poetry.lock", {
    "pyproject.toml": `[tool.poetry]\nname = "demo"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n[tool.poetry.dependencies]\npython = "^3.11"\npyyaml = "6.0.1"\nhttpx = { git = "${git}.git", rev = "0.27.0" }\nflask = { path = "libs/flask" }\ndjango = { version = "5.1.1", source = "private" }\n\n[[tool.poetry.source]]\nname = "private"\nurl = "${privateIndex}"\npriority = "explicit"\n`,
    "poetry.lock": `[[package]]\nname = "django"\nversion = "5.1.1"\ndescription = ""\noptional = false\npython-versions = ">=3.10"\nfiles = []\n\n[package.source]\ntype = "legacy"\nurl = "${privateIndex}"\nreference = "private"\n\n[[package]]\nname = "flask"\nversion = "3.0.0"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = []\ndevelop = false\n\n[package.source]\ntype = "directory"\nurl = "libs/flask"\n\n[[package]]\nname = "httpx"\nversion = "0.27.0"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = []\ndevelop = false\n\n[package.source]\ntype = "git"\nurl = "${git}.git"\nreference = "0.27.0"\nresolved_reference = "4b85e6c38e6aed9a5f8a5b2d3e2a1f0c9b8a7d6e"\n\n[[package]]\nname = "pyyaml"\nversion = "6.0.1"\ndescription = ""\noptional = false\npython-versions = ">=3.6"\nfiles = []\n\n[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "0"\n`,
  }, [["django", `not planned: from ${privateIndex}`], ["flask", "not planned: path"], ["httpx", "not planned: git"]]],
  ["Pipfile.lock", {
    Pipfile: `[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n\n[[source]]\nname = "private"\nurl = "${privateIndex}"\nverify_ssl = true\n\n[packages]\npyyaml = "==6.0.1"\nhttpx = { git = "${git}.git", ref = "0.27.0" }\nflask = { path = "./libs/flask", editable = true }\ndjango = { version = "==5.1.1", index = "private" }\n`,
    "Pipfile.lock": JSON.stringify({
      _meta: { hash: { sha256: "0" }, "pipfile-spec": 6, requires: { python_version: "3.11" }, sources: [{ name: "pypi", url: "https://pypi.org/simple", verify_ssl: true }, { name: "private", url: privateIndex, verify_ssl: true }] },
      default: {
        django: { hashes: [], index: "private", version: "==5.1.1" },
        flask: { editable: true, path: "./libs/flask" },
        httpx: { git: `${git}.git`, ref: "4b85e6c38e6aed9a5f8a5b2d3e2a1f0c9b8a7d6e" },
        pyyaml: { hashes: [], index: "pypi", version: "==6.0.1" },
      },
      develop: {},
    }, null, 4),
  }, [["django", `not planned: from ${privateIndex}`], ["flask", "not planned: path"], ["httpx", "not planned: git"]]],
  ["requirements.txt", {
    "requirements.txt": `pyyaml==6.0.1\nhttpx @ git+${git}@0.27.0\n-e git+https://github.com/pallets/flask@3.0.0#egg=flask\n-e ./libs/django\n`,
  }, [["./libs/django", "not planned: path"], ["flask", "not planned: git"], ["httpx", "not planned: git"]]],
];

describe("a package from git, a path or a non-default index is never planned from the default index", () => {
  it.each(projects)("%s: pyyaml is planned, the others are listed as not planned with where they come from, and the index is never asked about them", async (_lockfile, files, expected) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-sources-"));
    await mkdir(path.join(dir, "libs", "flask"), { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    const out = path.join(dir, "out");
    const { code, stderr } = await world.bumpwise(dir, "review", ".", "--llm", "off", "--no-notes", "--no-api-diff", "--out", out);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Review;
    expect(report.bumps.map((bump) => `${bump.name} ${bump.from}`)).toEqual(["pyyaml 6.0.1"]);
    expect(report.errors.map((error) => [error.package, error.message])).toEqual(expected);
    expect(pypi.index.requests.map((request) => request.url).filter((url) => /django|flask|httpx/i.test(url))).toEqual([]);
  });
});
