import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bumpwiseAction, isPinnedAction } from "../../src/ci/action-spec.js";
import { useCliWorld } from "../helpers/cli.js";

const world = useCliWorld();
const sha = "0123456789abcdef0123456789abcdef01234567";
const action = `acme/bumpwise@${sha}`;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

const workflow = async (repo: string, name: string) => {
  const text = await readFile(path.join(repo, ".github/workflows", name), "utf8");
  return { text, parsed: parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: { review: { steps: Step[] } } } };
};

// Every action by full commit SHA, and no step that runs a package by its bare name (npx --yes bumpwise).
function expectNothingUnpinned(text: string, steps: Step[]) {
  for (const step of steps.filter((s) => s.uses)) expect(isPinnedAction(step.uses!.split(" ")[0]!), step.uses).toBe(true);
  for (const step of steps.filter((s) => s.run)) expect(step.run).not.toMatch(/\b(npx|pnpm dlx|yarn dlx|bunx|npm exec)\b/);
  expect(text).not.toMatch(/npx|bumpwise@(?![0-9a-f]{40})/);
}

describe("bumpwise init ci", () => {
  it("writes both workflows by default, each running the bumpwise action pinned by commit", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    const { code, stderr } = await world.bumpwise(repo, "init", "ci", "--action", action);
    expect(code, stderr).toBe(0);
    for (const name of ["bumpwise.yml", "bumpwise-pr.yml"]) {
      const { text, parsed } = await workflow(repo, name);
      expectNothingUnpinned(text, parsed.jobs.review.steps);
      const review = parsed.jobs.review.steps.find((step) => step.uses?.startsWith("acme/bumpwise@"));
      expect(review?.uses).toBe(action);
      expect(review?.with?.["anthropic-api-key"]).toBe("${{ secrets.ANTHROPIC_API_KEY }}");
      expect(review?.with?.["working-directory"]).toBeUndefined();
    }
    const again = await world.bumpwise(repo, "init", "ci", "--action", action);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/bumpwise\.yml exists; pass --force to replace it/);
    expect((await world.bumpwise(repo, "init", "ci", "--action", action, "--force")).code).toBe(0);
  });

  it("the weekly workflow opens the upgrade pull request with contents and pull-requests write", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    expect((await world.bumpwise(repo, "init", "ci", "--schedule", "--action", action)).code).toBe(0);
    const { text, parsed } = await workflow(repo, "bumpwise.yml");
    expect(Object.keys(parsed.on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(parsed.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    const steps = parsed.jobs.review.steps;
    expect(steps.find((step) => step.uses === action)?.with).toEqual({ mode: "schedule", "anthropic-api-key": "${{ secrets.ANTHROPIC_API_KEY }}", "github-token": "${{ secrets.BUMPWISE_PUSH_TOKEN || github.token }}" });
    // An App or fine-grained token, when the repository has one, pushes the branch so the PR's CI runs.
    expect(steps[0]?.with?.token).toBe("${{ secrets.BUMPWISE_PUSH_TOKEN || github.token }}");
    expect(text).toMatch(/# verify: npm test/);
  });

  it("the pull request workflow runs on pull_request for lockfile changes with the least permissions, and says what Dependabot needs", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    await writeFile(path.join(repo, "package-lock.json"), "{}");
    expect((await world.bumpwise(repo, "init", "ci", "--pull-requests", "--action", action)).code).toBe(0);
    const { text, parsed } = await workflow(repo, "bumpwise-pr.yml");
    expect(Object.keys(parsed.on)).toEqual(["pull_request"]);
    expect(text).not.toContain("pull_request_target");
    expect((parsed.on.pull_request as { paths: string[] }).paths).toEqual(["**/npm-shrinkwrap.json", "**/package-lock.json", "**/pnpm-lock.yaml", "**/yarn.lock"]);
    expect(parsed.permissions).toEqual({ contents: "read", "pull-requests": "write", statuses: "write" });
    const steps = parsed.jobs.review.steps;
    expect(steps[0]?.with).toEqual({ "fetch-depth": 0, "persist-credentials": false });
    expect(steps.find((step) => step.uses === action)?.with).toEqual({ mode: "pull-request", "fail-on": "breaking", "anthropic-api-key": "${{ secrets.ANTHROPIC_API_KEY }}" });
    expect(text).toMatch(/read-only GITHUB_TOKEN by default/);
    expect(text).toMatch(/Dependabot secrets, not the Actions secrets/);
    await expect(readFile(path.join(repo, ".github/workflows/bumpwise.yml"))).rejects.toThrow();
  });

  it("refuses an action named by tag or branch, and without --action needs the commit the package was published from", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    for (const spec of ["acme/bumpwise@v1", "acme/bumpwise@main", "acme/bumpwise", `bumpwise@${sha}`, `acme/bumpwise@${sha.slice(0, 7)}`]) {
      const { code, stderr } = await world.bumpwise(repo, "init", "ci", "--action", spec);
      expect(code, spec).toBe(2);
      expect(stderr).toMatch(/--action expects owner\/repo@<40-character commit SHA>/);
    }
    expect(bumpwiseAction(undefined, { repository: { type: "git", url: "git+https://github.com/acme/bumpwise.git" }, gitHead: sha })).toBe(action);
    expect(bumpwiseAction(undefined, { repository: "github:acme/bumpwise", gitHead: sha })).toBe(action);
    expect(() => bumpwiseAction(undefined, { repository: "github:acme/bumpwise" })).toThrow(/pass --action/);
  });

  it("ships an action.yml others can use: modes, outputs, the cache, and only what runs installed", async () => {
    const action = parse(await readFile(path.resolve(import.meta.dirname, "../../action.yml"), "utf8"));
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps[0].uses).toMatch(/^actions\/setup-node@[0-9a-f]{40}$/);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(["mode", "working-directory", "fail-on", "verify", "github-token", "anthropic-api-key", "args"]));
    expect(action.inputs["github-token"].default).toBe("${{ github.token }}");
    expect(Object.keys(action.outputs)).toEqual(["breaking", "risky", "report-dir"]);
    // Python projects: Python and the lockfile's tool, each only when its files are in the project's folder.
    const python = action.runs.steps.filter((step: { if?: string }) => step.if?.includes("hashFiles"));
    expect(python.map((step: { uses?: string; run?: string }) => step.uses?.split("@")[0] ?? step.run)).toEqual(["actions/setup-python", "astral-sh/setup-uv", "pipx install poetry", "pipx install pipenv", "pipx install pip-tools"]);
    for (const step of python) expect(step.if).toContain("inputs.working-directory");
    expect(action.runs.steps.find((step: { uses?: string }) => step.uses?.startsWith("actions/cache@"))?.with.path).toBe("~/.cache/bumpwise");
    for (const step of action.runs.steps.filter((s: { uses?: string }) => s.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    for (const step of action.runs.steps.filter((s: { run?: string }) => s.run)) {
      expect(step.run).not.toMatch(/\bnpx\b/);
      // Inputs reach scripts through the environment, never pasted into them.
      expect(step.run).not.toContain("${{");
    }
    const install = action.runs.steps.find((step: { name?: string }) => step.name === "Install bumpwise").run as string;
    expect(install).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(install).toMatch(/npm prune --omit=dev/);
    const review = action.runs.steps.find((step: { id?: string }) => step.id === "review");
    expect(review.run).toContain('review --base "origin/$GITHUB_BASE_REF" --comment');
    expect(review.env.GITHUB_TOKEN).toBe("${{ inputs.github-token }}");
  });

  it("a project in a folder of the repository: the workflows go to the repository's root and run in that folder", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    await mkdir(path.join(repo, ".git"));
    await mkdir(path.join(repo, "apps", "web"), { recursive: true });
    await writeFile(path.join(repo, "apps/web/package-lock.json"), "{}");
    const { code, stderr } = await world.bumpwise(repo, "init", "ci", "--project", "apps/web", "--action", action);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain("warning");
    const scheduled = await workflow(repo, "bumpwise-apps-web.yml");
    const pr = await workflow(repo, "bumpwise-pr-apps-web.yml");
    for (const { text, parsed } of [scheduled, pr]) {
      expectNothingUnpinned(text, parsed.jobs.review.steps);
      expect(parsed.jobs.review.steps.find((step) => step.uses === action)?.with?.["working-directory"]).toBe("apps/web");
      expect(parsed.jobs.review.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"))?.with?.path).toBe("apps/web/.bumpwise/report.html");
    }
    expect((pr.parsed.on.pull_request as { paths: string[] }).paths).toContain("apps/web/package-lock.json");
  });

  it("--ecosystem picks one where a folder has both kinds, and a folder with no lockfile is warned about", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    await writeFile(path.join(repo, "package-lock.json"), "{}");
    await writeFile(path.join(repo, "uv.lock"), "");
    const both = await world.bumpwise(repo, "init", "ci", "--action", action);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/pass --ecosystem npm or --ecosystem pypi/);
    const python = await world.bumpwise(repo, "init", "ci", "--ecosystem", "pypi", "--pull-requests", "--action", action);
    expect(python.code, python.stderr).toBe(0);
    expect(((await workflow(repo, "bumpwise-pr.yml")).parsed.on.pull_request as { paths: string[] }).paths).toContain("**/uv.lock");
    const empty = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-"));
    const none = await world.bumpwise(empty, "init", "ci", "--action", action);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^warning: no lockfile in .* review nothing until one is committed$/m);
  });
});

describe("bumpwise init ci on a Python project", () => {
  const copy = async (fixture: string, files: string[]) => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-py-"));
    for (const file of files) await writeFile(path.join(repo, file), await readFile(path.join(import.meta.dirname, "../../fixtures", fixture, file)));
    return repo;
  };

  it("a uv project: the action is told its Python version file, and the pull request workflow watches the Python lockfiles", async () => {
    const repo = await copy("demo-python", ["pyproject.toml", "uv.lock"]);
    await writeFile(path.join(repo, ".python-version"), "3.11\n");
    const { code, stderr } = await world.bumpwise(repo, "init", "ci", "--action", action);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("The action sets up Python and uv.");
    for (const name of ["bumpwise.yml", "bumpwise-pr.yml"]) {
      const { text, parsed } = await workflow(repo, name);
      expectNothingUnpinned(text, parsed.jobs.review.steps);
      expect(parsed.jobs.review.steps.find((step) => step.uses === action)?.with?.["python-version-file"]).toBe(".python-version");
    }
    const { parsed } = await workflow(repo, "bumpwise-pr.yml");
    expect((parsed.on.pull_request as { paths: string[] }).paths).toEqual(["**/uv.lock", "**/poetry.lock", "**/Pipfile.lock", "**/pylock.toml", "**/requirements*.txt"]);
  });

  it("a hand-pinned requirements file: no version file, so the action's default Python", async () => {
    const pinned = await mkdtemp(path.join(os.tmpdir(), "bumpwise-init-py-"));
    await writeFile(path.join(pinned, "requirements.txt"), "idna==3.6\n");
    const { code, stderr } = await world.bumpwise(pinned, "init", "ci", "--action", action);
    expect(code).toBe(0);
    expect(stderr).toContain("The action sets up Python.");
    const { text, parsed } = await workflow(pinned, "bumpwise.yml");
    expect(parsed.jobs.review.steps.find((step) => step.uses === action)?.with?.["python-version-file"]).toBeUndefined();
    expect(text).toMatch(/# verify: pytest/);
  });
});
