import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../../src/review/index.js";
import { useCliWorld } from "../../helpers/cli.js";
import { useFakeIndex } from "../../helpers/fake-pypi.js";
import { changedNames } from "../../../src/ecosystems/pypi/api/dependents.js";
import { packageSurface } from "../../../src/ecosystems/pypi/api/surface.js";

const world = useCliWorld();
useFakeIndex(world);

// An app on FastAPI 0.65.1, whose locked starlette 0.14.2 decorates with @jinja2.contextfunction;
// Jinja2 3.1 removed it. Recorded wheels: jinja2 3.0.1 and 3.1.6 (jinja2/__init__.py, utils.py),
// starlette 0.14.2 (templating.py), fastapi 0.65.1 (whole); fixtures/pypi/README.md.
async function reviewJinja(main: string): Promise<Review["bumps"][number] | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-dependents-"));
  await writeFile(path.join(dir, "requirements.txt"), "fastapi==0.65.1\nstarlette==0.14.2\nJinja2==3.0.1\n");
  await writeFile(path.join(dir, "main.py"), main);
  const out = path.join(dir, "out");
  const { code } = await world.bumpwise(dir, "review", ".", "--include", "jinja2", "--llm", "off", "--no-notes", "--out", out);
  expect(code).toBe(0);
  return (JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Review).bumps.find((bump) => bump.name === "jinja2");
}

describe("a locked package that uses a name the upgrade removes", () => {
  it("jinja2 3.0.1 → 3.1.6 is breaking when the project imports fastapi.templating, which brings starlette.templating and its @jinja2.contextfunction", async () => {
    const jinja2 = await reviewJinja("from fastapi import FastAPI\nfrom fastapi.templating import Jinja2Templates\n\napp = FastAPI()\ntemplates = Jinja2Templates(directory=\"templates\")\n");
    expect(jinja2).toMatchObject({ from: "3.0.1", to: "3.1.6", verdict: { verdict: "breaking", strength: "fact" } });
    const signal = jinja2?.signals.find((candidate) => candidate.rule === "api/py-removed-by-dependent");
    expect(signal).toMatchObject({ severity: "breaking", strength: "fact", symbols: ["jinja2.contextfunction"] });
    expect(signal?.message).toMatch(/^jinja2\.contextfunction is no longer in 3\.1\.6; the locked starlette 0\.14\.2, which this upgrade does not move, uses it at starlette\/templating\.py:\d+, and the project's code imports that module \(fastapi\.templating at main\.py:2\)$/);
  });

  it("is only risky when the project's imports do not reach the module that uses it (FastAPI without its templating)", async () => {
    const jinja2 = await reviewJinja("from fastapi import FastAPI\n\napp = FastAPI()\n");
    const signal = jinja2?.signals.find((candidate) => candidate.rule === "api/py-removed-by-dependent");
    expect(signal).toMatchObject({ severity: "risky", strength: "inferred" });
    expect(signal?.message).toMatch(/; the project's code does not import the module that uses it$/);
    expect(jinja2?.verdict.verdict).not.toBe("breaking");
  });
});

describe("the names whose use can break (what a dependent's files are searched for)", () => {
  const surface = (source: string) => packageSurface(new Map([["pkg/__init__.py", source]]));
  const before = surface("def render(template, context=None, strict=False):\n    pass\n\nclass Loader:\n    def __init__(self, path, encoding='utf-8'):\n        pass\n    def load(self, name):\n        pass\n\ndef contextfunction(f):\n    return f\n");
  it("a name gone, a parameter gone, a parameter now required: a class by its constructor and its methods", () => {
    const after = surface("def render(template, context):\n    pass\n\nclass Loader:\n    def __init__(self, path, encoding='utf-8', *, cache):\n        pass\n    def load(self, name):\n        pass\n");
    expect([...changedNames(before, after)].sort()).toEqual(["Loader", "__init__", "contextfunction", "render"]);
  });
  it("a default that changed, or a parameter added with one, cannot fail a call", () => {
    const after = surface("def render(template, context=None, strict=True, autoescape=False):\n    pass\n\nclass Loader:\n    def __init__(self, path, encoding='utf-8', followlinks=False):\n        pass\n    def load(self, name, globals=None):\n        pass\n\ndef contextfunction(f):\n    return f\n");
    expect([...changedNames(before, after)]).toEqual([]);
  });
});
