import { mkdtemp, readFile, writeFile } from "node:fs/promises";
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
    // Python projects: Python and the lockfile's tool, each only when its files are there.
    const python = action.runs.steps.filter((step: { if?: string }) => step.if?.includes("hashFiles"));
    expect(python.map((step: { uses?: string; run?: string }) => step.uses?.split("@")[0] ?? step.run)).toEqual(["actions/setup-python", "astral-sh/setup-uv", "pipx install poetry", "pipx install pipenv", "pipx install pip-tools"]);
    for (const step of action.runs.steps.filter((s: { uses?: string }) => s.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
  });
});

describe("bumpwise init ci on a Python project", () => {
  const steps = async (repo: string) => {
    const { code, stderr } = await world.bumpwise(repo, "init", "ci");
    expect(code, stderr).toBe(0);
    return { stderr, steps: parse(await readFile(path.join(repo, ".github/workflows/bumpwise.yml"), "utf8")).jobs.review.steps as { uses?: string; run?: string; with?: Record<string, string> }[] };
  };
  const copy = async (fixture: string, files: string[]) => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-py-"));
    for (const file of files) await writeFile(path.join(repo, file), await readFile(path.join(import.meta.dirname, "../../fixtures", fixture, file)));
    return repo;
  };

  it("a uv project gets Python and uv, pinned by SHA, before the review", async () => {
    const repo = await copy("demo-python", ["pyproject.toml", "uv.lock"]);
    await writeFile(path.join(repo, ".python-version"), "3.11\n");
    const { steps: list, stderr } = await steps(repo);
    expect(stderr).toContain("It sets up Python and uv.");
    const uses = list.flatMap((step) => (step.uses ? [step.uses.split("@")[0]] : []));
    expect(uses).toEqual(["actions/checkout", "actions/setup-node", "actions/setup-python", "astral-sh/setup-uv", "actions/cache", "actions/upload-artifact"]);
    for (const step of list.filter((s) => s.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(list.find((step) => step.uses?.startsWith("actions/setup-python"))?.with).toEqual({ "python-version-file": ".python-version" });
  });

  it("a Poetry project installs Poetry with pipx; a hand-pinned requirements file needs no tool", async () => {
    const poetry = await copy("lockfiles/py-poetry", ["pyproject.toml", "poetry.lock"]);
    expect((await steps(poetry)).steps.some((step) => step.run === "pipx install poetry")).toBe(true);
    const pinned = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-py-"));
    await writeFile(path.join(pinned, "requirements.txt"), "idna==3.6\n");
    const { steps: list, stderr } = await steps(pinned);
    expect(stderr).toContain("It sets up Python.");
    expect(list.find((step) => step.uses?.startsWith("actions/setup-python"))?.with).toEqual({ "python-version": "3.x" });
    expect(list.some((step) => step.run?.startsWith("pipx"))).toBe(false);
  });
});
