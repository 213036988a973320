import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useCliWorld } from "../helpers/cli.js";

const world = useCliWorld();

describe("bumpwise init ci", () => {
  it("writes a weekly, least-privilege workflow with pinned actions, the key from secrets and a kept cache", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    const { code } = await world.bumpwise(repo, "init", "ci");
    expect(code).toBe(0);
    const text = await readFile(path.join(repo, ".github/workflows/bumpwise.yml"), "utf8");
    const workflow = parse(text);
    expect(Object.keys(workflow.on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    const steps = workflow.jobs.review.steps as { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }[];
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    expect(steps.some((s) => s.uses?.startsWith("actions/cache@") && s.with?.path === "~/.cache/bumpwise")).toBe(true);
    const run = steps.find((s) => s.run?.includes("bumpwise review"));
    expect(run?.run).toMatch(/review --branch .*--pr/);
    expect(run?.env).toEqual({ ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}", GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}" });
    const again = await world.bumpwise(repo, "init", "ci");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/bumpwise\.yml exists; pass --force to replace it/);
    expect((await world.bumpwise(repo, "init", "ci", "--force")).code).toBe(0);
  });

  it("ships an action.yml others can use", async () => {
    const action = parse(await readFile(path.resolve(import.meta.dirname, "../../action.yml"), "utf8"));
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps[0].uses).toMatch(/^actions\/setup-node@[0-9a-f]{40}$/);
    expect(action.inputs.args.default).toBe("review --branch --force --pr");
  });
});
