// The GitHub Actions workflows that `bumpwise init ci` writes. Actions are pinned by commit SHA (the
// tag is in the comment) so a moved tag cannot change what runs with write permissions.
export const pinnedActions = {
  checkout: "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
  setupNode: "actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af # v4.1.0",
  cache: "actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57 # v4.2.0",
  uploadArtifact: "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
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

/** What a project's workflow sets up beside Node.js, as its ecosystem says. */
export interface CiSetup {
  python?: PythonCi;
}

/** What both workflows run: the bumpwise action pinned by commit, and the project's Python version file. */
export interface WorkflowSetup {
  /** owner/repo@<commit SHA> (see action-spec.ts). */
  action: string;
  python?: PythonCi;
}

/** The weekly workflow: reviews the upgrades available and opens (or updates) one pull request. */
export function workflowYaml(setup: WorkflowSetup): string {
  return `# Written by \`bumpwise init ci --schedule\`. Weekly, and on demand: reviews the minor and patch
# upgrades available, and opens (or updates) one pull request with pinned versions, a regenerated
# lockfile, suggested code edits and the review as its body.
# bumpwise runs from its own action pinned by commit (never an unversioned package name).
# Secrets: ANTHROPIC_API_KEY in the repository's Actions secrets (optional: without it the review is
# deterministic only).
# A pull request opened with GITHUB_TOKEN starts no workflows: your CI will not run on it until someone
# pushes to it or closes and reopens it.
name: bumpwise

on:
  schedule:
    - cron: "17 6 * * 1"
  workflow_dispatch:

permissions:
  contents: write
  pull-requests: write

concurrency:
  group: bumpwise
  cancel-in-progress: false

jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: ${pinnedActions.checkout}
        with:
          fetch-depth: 0
${cacheStep}      - name: Review dependency upgrades
        uses: ${setup.action}
        with:
          args: review --branch --force --pr --batch
${pythonInputs(setup.python)}        env:
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
${uploadStep}`;
}

/** The registry, release-note and Claude caches, so a run with nothing new costs nothing. */
export const cacheStep = `      - uses: ${pinnedActions.cache}
        with:
          path: ~/.cache/bumpwise
          key: bumpwise-\${{ runner.os }}-\${{ github.run_id }}
          restore-keys: bumpwise-\${{ runner.os }}-
`;

/** report.html: every bump, sortable and filterable; the pull request and the comment link this run's artifacts. */
export const uploadStep = `      - uses: ${pinnedActions.uploadArtifact}
        if: always()
        with:
          name: bumpwise-report
          path: .bumpwise/report.html
          if-no-files-found: ignore
          retention-days: 30
`;

// The action sets up Python and the project's lockfile tool when their files are there; the version
// file, when the project has one, says which Python.
export function pythonInputs(python: PythonCi | undefined): string {
  return python?.pythonVersionFile ? `          python-version-file: ${python.pythonVersionFile}\n` : "";
}
