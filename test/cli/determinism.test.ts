import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";

const world = useCliWorld();

async function verdicts(): Promise<string[]> {
  const out = await mkdtemp(path.join(os.tmpdir(), "bumpwise-out-"));
  const { code } = await world.bumpwise(fixturesDir, "review", "demo", "--registry", world.registry.url, "--no-cache", "--out", out);
  expect(code).toBe(0);
  const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
  return report.bumps.map((bump) => `${bump.name} ${bump.verdict.verdict} ${bump.verdict.strength} ${bump.signals.map((signal) => `${signal.rule}:${signal.severity}`).sort().join(",")}`);
}

describe("the same input gives the same verdict on any machine", () => {
  it("a review on a machine loaded by CPU-bound children gives the verdicts and signals of an idle one", async () => {
    const idle = await verdicts();
    // As many busy loops as the machine has cores: every thread of the review competes for the CPU.
    const burners = os.availableParallelism() > 0 ? Array.from({ length: os.availableParallelism() }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" })) : [];
    try {
      expect(await verdicts()).toEqual(idle);
    } finally {
      for (const burner of burners) burner.kill("SIGKILL");
    }
  }, 120_000);
});
