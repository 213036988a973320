import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../../src/review/index.js";
import { useCliWorld } from "../../helpers/cli.js";
import { useFakeIndex } from "../../helpers/fake-pypi.js";

const world = useCliWorld();
useFakeIndex(world);

// A hand-pinned requirements.txt of a Django app, reviewed against the recorded wheels' METADATA
// (celery 5.3.1/5.7.0, kombu 5.3.1/5.7.0, pytest-django 4.5.2/4.14.0; fixtures/pypi/README.md).
async function review(requirements: string, only: string, source = "from celery import shared_task\nfrom django.db import models\n"): Promise<Review["bumps"][number] | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-extras-"));
  await writeFile(path.join(dir, "requirements.txt"), requirements);
  await writeFile(path.join(dir, "tasks.py"), source);
  const out = path.join(dir, "out");
  const { code } = await world.bumpwise(dir, "review", ".", "--include", only, "--llm", "off", "--no-notes", "--no-api-diff", "--out", out);
  expect(code).toBe(0);
  const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Review;
  return report.bumps.find((bump) => bump.name === only);
}

const rule = "contract/extra-excludes-installed";

describe("an extra's requirement on a package the project pins itself", () => {
  it("celery 5.7.0 brings kombu 5.7.0, whose redis support declares redis>=6.4.0: breaking for a project that pins redis 4.6.0 and never imports it", async () => {
    const celery = await review("Django==4.2.3\ncelery==5.3.1\nredis==4.6.0\n", "celery");
    expect(celery).toMatchObject({ from: "5.3.1", to: "5.7.0", verdict: { verdict: "breaking", strength: "fact" } });
    const signal = celery?.signals.find((candidate) => candidate.rule === rule);
    expect(signal).toMatchObject({ severity: "breaking", strength: "fact", fact: "pins redis 4.6.0, never imported by its code; kombu 5.7.0 Requires-Dist: redis<9.0.0,>=6.4.0; extra == \"redis\"" });
    expect(signal?.message).toMatch(/^5\.7\.0 requires kombu "[^"]*>=5\.7\.0[^"]*"; kombu 5\.7\.0, which the resolver then installs, declares redis "<9\.0\.0,>=6\.4\.0" for its "redis" support, which excludes the installed redis 4\.6\.0/);
  });

  it("says nothing when the pinned redis fits, when the project does not pin redis, or when its code imports redis itself (then it is not there only for kombu)", async () => {
    const fits = await review("Django==4.2.3\ncelery==5.3.1\nredis==6.4.0\n", "celery");
    expect(fits?.signals.filter((candidate) => candidate.rule === rule)).toEqual([]);
    const absent = await review("Django==4.2.3\ncelery==5.3.1\n", "celery");
    expect(absent?.signals.filter((candidate) => candidate.rule === rule)).toEqual([]);
    const usedItself = await review("Django==4.2.3\ncelery==5.3.1\nredis==4.6.0\n", "celery", "import redis\nfrom celery import shared_task\nfrom django.db import models\n");
    expect(usedItself?.signals.filter((candidate) => candidate.rule === rule)).toEqual([]);
  });

  it("pytest-django 4.14.0 declares django>=5.2 for its django support: risky for a project on Django 4.2 whose code uses Django itself, nothing for one on 5.2", async () => {
    const old = await review("Django==4.2.3\npytest-django==4.5.2\n", "pytest-django");
    expect(old?.signals.find((candidate) => candidate.rule === rule)).toMatchObject({ severity: "risky", strength: "inferred", fact: "declares django 4.2.3", evidence: { quote: 'Requires-Dist: django>=5.2; extra == "django"', version: "4.14.0" } });
    const current = await review("Django==5.2.1\npytest-django==4.5.2\n", "pytest-django");
    expect(current?.signals.filter((candidate) => candidate.rule === rule)).toEqual([]);
  });
});

describe("extras for a package's own tooling", () => {
  it("are told apart from features by their names (PEP 503-normalised)", async () => {
    const { forTooling, parseRequirement } = await import("../../../src/ecosystems/pypi/names.js");
    const tooling = (text: string) => forTooling(parseRequirement(text) ?? { name: "", extras: [], specifier: "" });
    // Real Requires-Dist lines: bcrypt's typecheck extra, kombu's redis extra, pytest-django's docs extra.
    expect(tooling('mypy; extra == "typecheck"')).toBe(true);
    expect(tooling('sphinx; extra == "docs"')).toBe(true);
    expect(tooling('pytest>=7; extra == "Tests"')).toBe(true);
    expect(tooling('redis<9.0.0,>=6.4.0; extra == "redis"')).toBe(false);
    expect(tooling("kombu<5.8,>=5.7.0")).toBe(false);
  });
});
