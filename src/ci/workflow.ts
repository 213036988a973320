// The GitHub Actions workflows that `bumpwise init ci` writes. Actions are pinned by commit SHA (the
// tag is in the comment) so a moved tag cannot change what runs with write permissions; each at its
// Node 24 major (fixtures/actions records what each one's action.yml says).
export const pinnedActions = {
  checkout: "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
  setupNode: "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0",
  cache: "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5",
  uploadArtifact: "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0",
  setupPython: "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0",
  setupUv: "astral-sh/setup-uv@20cfd1bf945f4377ade1205e4dbc17946fc9a30d # v10.0.1",
} as const;

/** The tool a Python project's lockfile is written with: the workflow installs it, bumpwise runs it. */
export type PythonTool = "uv" | "poetry" | "pipenv" | "pip-tools" | "none";

/** A Python project's setup: its tool, and the file that names its Python version, if it has one. */
export interface PythonCi {
  tool: PythonTool;
  pythonVersionFile?: string;
}

/** What a project's workflow sets up beside Node.js, as its ecosystem says, and the test command it suggests for `verify`. */
export interface CiSetup {
  python?: PythonCi;
  testCommand?: string;
}

/** What both workflows run: the bumpwise action pinned by commit, in the project's folder. */
export interface WorkflowSetup extends CiSetup {
  /** owner/repo@<commit SHA> (see action-spec.ts). */
  action: string;
  /** The project's folder relative to the repository root, with forward slashes; "" at the root. */
  project: string;
}

/** The weekly workflow: reviews the upgrades available and opens (or updates) one pull request. */
export function workflowYaml(setup: WorkflowSetup): string {
  const where = setup.project ? ` (${setup.project})` : "";
  return `# Written by \`bumpwise init ci --schedule\`. Weekly, and on demand: reviews the minor and patch
# upgrades available${where}, and opens (or updates) one pull request with the versions moved (ranges kept),
# a regenerated lockfile, suggested code edits and the review as its body.
# bumpwise runs from its own action pinned by commit (never an unversioned package name).
# Secrets: ANTHROPIC_API_KEY in the repository's Actions secrets (optional: without it the review is
# deterministic only). Allow Actions to create pull requests (Settings → Actions → General → Workflow
# permissions).
# A pull request opened with GITHUB_TOKEN starts no workflows: your CI will not run on it until someone
# pushes to it. To have it run, store a GitHub App installation token or a fine-grained token
# (contents and pull requests: write) as the secret BUMPWISE_PUSH_TOKEN: the checkout and the action
# below then push and open the pull request with it.
name: bumpwise${where}

on:
  schedule:
    - cron: "17 6 * * 1"
  workflow_dispatch:

permissions:
  contents: write
  pull-requests: write

concurrency:
  group: bumpwise${slugSuffix(setup.project)}
  cancel-in-progress: false

jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: ${pinnedActions.checkout}
        with:
          fetch-depth: 0
          token: \${{ secrets.BUMPWISE_PUSH_TOKEN || github.token }}
      - name: Review dependency upgrades
        uses: ${setup.action}
        with:
          mode: schedule
${actionInputs(setup)}          github-token: \${{ secrets.BUMPWISE_PUSH_TOKEN || github.token }}
          # Run your tests before and with the bumps; the bumps that break them are found and marked:
          # verify: ${setup.testCommand ?? "npm test"}
${uploadStep(setup.project)}`;
}

/** The inputs both workflows give the action: the project's folder, its Python version file, the Claude key. */
export function actionInputs(setup: WorkflowSetup): string {
  const lines = [
    ...(setup.project ? [`working-directory: ${setup.project}`] : []),
    ...(setup.python?.pythonVersionFile ? [`python-version-file: ${inRepository(setup.project, setup.python.pythonVersionFile)}`] : []),
    "anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}",
  ];
  return lines.map((line) => `          ${line}\n`).join("");
}

/** report.html: every bump, sortable and filterable; the pull request and the comment link this run's artifacts. */
export function uploadStep(project: string): string {
  return `      - uses: ${pinnedActions.uploadArtifact}
        if: always()
        with:
          name: bumpwise-report
          path: ${inRepository(project, ".bumpwise/report.html")}
          if-no-files-found: ignore
          retention-days: 30
`;
}

/** A path in the project, as the repository root sees it (where `uses:` steps run). */
export function inRepository(project: string, file: string): string {
  return project ? `${project}/${file}` : file;
}

/** "-web-app" for web/app: a second project's workflows get names of their own. */
export function slugSuffix(project: string): string {
  const slug = project.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return slug ? `-${slug}` : "";
}
