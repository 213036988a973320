import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";

const world = useCliWorld();

describe("a hanging or failing registry costs one quick retry, not npm's default retries", () => {
  it("with npm's retry settings left at their defaults: one hang and one 500 are each asked twice (--request-timeout, then one quick retry)", async () => {
    delete world.env.npm_config_fetch_retries;
    world.registry.override("express", { hang: true });
    world.registry.override("lodash", { status: 500 });
    const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
    const { code } = await world.bumpwise(path.join(fixturesDir, "demo"), "review", ".", "--registry", world.registry.url, "--no-notes", "--no-api-diff", "--request-timeout", "1", "--out", out);
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
    expect(report.errors.map((error) => [error.package, error.code])).toEqual([["express", "timeout"], ["lodash", "server-error"]]);
    // One retry each: two requests for the hanging package, two for the failing one. npm's defaults
    // (2 retries, 10–60 s apart) asked three times and took 161 s for the hang and 72 s for the 500.
    expect(world.registry.requests.filter((request) => request.name === "express")).toHaveLength(2);
    expect(world.registry.requests.filter((request) => request.name === "lodash")).toHaveLength(2);
  }, 30_000);
});
