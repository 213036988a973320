import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { useFakeIndex } from "../helpers/fake-pypi.js";
import { fixturesDir } from "../helpers/fake-registry.js";

const world = useCliWorld();
const pypi = useFakeIndex(world);

const demo = path.join(fixturesDir, "demo-python");
const pyyamlSimple = readFileSync(path.join(fixturesDir, "pypi/simple/pyyaml.json"), "utf8");

async function review(dir: string, ...flags: string[]): Promise<{ code: number; stderr: string; report: Review }> {
  const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
  const { code, stderr } = await world.bumpwise(dir, "review", ".", "--llm", "off", "--no-notes", "--no-api-diff", "--out", out, ...flags);
  return { code, stderr, report: JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Review };
}

const asked = (prefix: string) => pypi.index.requests.filter((request) => request.url.startsWith(prefix)).length;
const errorsOf = (report: Review) => report.errors.map((error) => [error.package, error.code, error.message]);

describe("what the Python index answers, and what the review says about it", () => {
  it("a 503 is retried once, and the package is reviewed", async () => {
    pypi.index.override("/simple/pyyaml/", { status: 503, body: "busy", times: 1 });
    const { code, report } = await review(demo, "--include", "pyyaml");
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.bumps.map((bump) => `${bump.name} ${bump.from} → ${bump.to}`)).toEqual(["pyyaml 6.0.1 → 6.0.3"]);
    expect(asked("/simple/pyyaml/")).toBe(2);
  });

  // The JSON API is asked where the Simple API answers in HTML only.
  it.each([
    ["the JSON API", "/pypi/pyyaml/json", JSON.stringify({ info: { name: "PyYAML" }, releases: [] }), "application/json", true],
    ["the Simple API", "/simple/pyyaml/", JSON.stringify({ meta: { "api-version": "1.1" }, name: "pyyaml", files: ["PyYAML-6.0.3.tar.gz"] }), "application/vnd.pypi.simple.v1+json", false],
  ])("an answer of the wrong shape from %s is a note on that package, not 'up to date'", async (_api, prefix, body, contentType, simpleInHtml) => {
    if (simpleInHtml) pypi.index.override("/simple/pyyaml/", { status: 200, body: "<!DOCTYPE html><html><body><a href=\"/files/PyYAML-6.0.3.tar.gz\">PyYAML-6.0.3.tar.gz</a></body></html>", contentType: "text/html" });
    pypi.index.override(prefix, { status: 200, body, contentType });
    const { code, report } = await review(demo, "--include", "pyyaml", "--include", "httpx");
    expect(code).toBe(0);
    expect(report.bumps.map((bump) => bump.name)).toEqual(["httpx"]);
    expect(errorsOf(report)).toEqual([["pyyaml", "invalid", expect.stringMatching(/^the index's (JSON|Simple API) answer for pyyaml is not what the API gives: /)]]);
  });

  it("a body that stops coming is a timeout on that package, not an unexpected failure", async () => {
    pypi.index.override("/simple/pyyaml/", { status: 200, body: pyyamlSimple, contentType: "application/vnd.pypi.simple.v1+json", stallBody: true });
    const { code, report } = await review(demo, "--include", "pyyaml", "--include", "httpx", "--request-timeout", "1");
    expect(code).toBe(0);
    expect(report.bumps.map((bump) => bump.name)).toEqual(["httpx"]);
    expect(errorsOf(report)).toEqual([["pyyaml", "timeout", "timed out reading the index's answer for pyyaml"]]);
  });

  it("exit 3 only when no package could be checked: packages that are not planned do not count", async () => {
    const sources = path.join(fixturesDir, "lockfiles/py-uv-sources");
    pypi.index.override("/simple/pyyaml/", { status: 500, body: "down" });
    const failing = await world.bumpwise(sources, "review", ".", "--llm", "off", "--no-notes", "--out", path.join(world.env.BUMPWISE_CACHE_DIR as string, "out"));
    expect(failing.code).toBe(3);
    expect(failing.stderr.trim().split("\n").at(-1)).toBe("bumpwise: no package could be checked: the index answered 500 for pyyaml");
  });

  it("one package answered among others that failed is a review (exit 0), with the failures as notes", async () => {
    pypi.index.override("/simple/pyyaml/", { status: 500, body: "down" });
    pypi.index.override("/simple/httpx/", { status: 500, body: "down" });
    const { code, report } = await review(demo, "--include", "pyyaml", "--include", "httpx", "--include", "pytest");
    expect(code).toBe(0);
    expect(report.bumps.map((bump) => bump.name)).toEqual(["pytest"]);
    expect(errorsOf(report).map(([name, code]) => `${name} ${code}`)).toEqual(["httpx server-error", "pyyaml server-error"]);
  });
});
