import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";
import { listenOnLoopback } from "../helpers/listen.js";

const world = useCliWorld();
// A proxy that answers every request with a login page: not the Anthropic API.
let portal: { origin: string; close: () => Promise<void> };
let hits = 0;
beforeEach(async () => {
  hits = 0;
  portal = await listenOnLoopback(createServer((_request, response) => {
    hits++;
    response.writeHead(200, { "content-type": "text/html" }).end("<html><body>Please sign in</body></html>");
  }));
});
afterEach(() => portal.close());

const demo = path.join(fixturesDir, "demo");

describe("a wrong ANTHROPIC_BASE_URL is said once, not per bump", () => {
  it("an endpoint that is not the Anthropic API stops the asking after two replies, and the report says why once", async () => {
    Object.assign(world.env, { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: portal.origin });
    const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
    const { code } = await world.bumpwise(demo, "review", ".", "--registry", world.registry.url, "--no-github", "--no-api-diff", "--llm", "anthropic", "--concurrency", "1", "--out", out);
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
    expect(report.summary.bumps).toBeGreaterThan(4);
    expect(report.llm.note).toBe(`Claude was not asked after a failure that would repeat for every bump (the endpoint does not answer like the Anthropic API; ANTHROPIC_BASE_URL is ${portal.origin}): verdicts without a Claude review come from deterministic analysis only.`);
    expect(report.llm.calls).toBeLessThanOrEqual(2);
    expect(hits).toBeLessThanOrEqual(2 * 4);
    expect(report.bumps.filter((bump) => bump.llm && "error" in bump.llm && bump.llm.error.startsWith("not asked:")).length).toBeGreaterThan(2);
  });

  it("a base URL that is not http(s) is a usage error before anything runs", async () => {
    Object.assign(world.env, { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: "api.internal:8080" });
    const { code, stderr } = await world.bumpwise(demo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "anthropic");
    expect(code).toBe(2);
    expect(stderr).toBe('bumpwise: ANTHROPIC_BASE_URL is not an http(s) URL ("api.internal:8080"): fix it or unset it\n');
  });

  // Each starts with "http://" but is no URL: the SDK's failure would read as a bad reply from Claude.
  it.each(["http://[::1", "http://localhost:99999", "http://claude proxy.internal"])("a base URL %s that does not parse is a usage error before anything runs", async (value) => {
    Object.assign(world.env, { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: value });
    const { code, stdout, stderr } = await world.bumpwise(demo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "anthropic");
    expect(code).toBe(2);
    expect(stderr).toBe(`bumpwise: ANTHROPIC_BASE_URL is not an http(s) URL (${JSON.stringify(value)}): fix it or unset it\n`);
    expect(stdout).toBe("");
    expect(world.registry.requests).toEqual([]);
  });
});
