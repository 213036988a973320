// The scheduled GitHub Actions workflow that `bumpwise init ci` writes. Actions are pinned by commit
// SHA (the tag is in the comment) so a moved tag cannot change what runs with write permissions.
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

export function workflowYaml(python?: PythonCi): string {
  return `# Written by \`bumpwise init ci\`. Weekly, and on demand: reviews the minor and patch upgrades
# available, and opens (or updates) one pull request with pinned versions, a regenerated lockfile,
# suggested code edits and the review as its body.
# Secrets: ANTHROPIC_API_KEY (optional: without it the review is deterministic only).
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
      - uses: ${pinnedActions.setupNode}
        with:
          node-version: 22
${python ? pythonSteps(python) : ""}      # The registry, release-note and Claude caches, so a week with nothing new costs nothing.
      - uses: ${pinnedActions.cache}
        with:
          path: ~/.cache/bumpwise
          key: bumpwise-\${{ runner.os }}-\${{ github.run_id }}
          restore-keys: bumpwise-\${{ runner.os }}-
      - name: Review dependency upgrades
        run: npx --yes bumpwise review --branch --force --pr --batch
        env:
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
      # report.html: every bump, sortable and filterable; the pull request links this run's artifacts.
      - uses: ${pinnedActions.uploadArtifact}
        if: always()
        with:
          name: bumpwise-report
          path: .bumpwise/report.html
          if-no-files-found: ignore
          retention-days: 30
`;
}

// Python, then the tool that rewrites the lockfile (uv by its action; the others by pipx, which the
// GitHub-hosted runners carry), so the branch's lockfile is written by the project's own tool.
function pythonSteps(python: PythonCi): string {
  const version = python.pythonVersionFile ? `python-version-file: ${python.pythonVersionFile}` : `python-version: "3.x"`;
  const tool = {
    uv: `      - uses: ${pinnedActions.setupUv}\n`,
    poetry: "      - run: pipx install poetry\n",
    pipenv: "      - run: pipx install pipenv\n",
    "pip-tools": "      - run: pipx install pip-tools\n",
    none: "",
  }[python.tool];
  return `      - uses: ${pinnedActions.setupPython}\n        with:\n          ${version}\n${tool}`;
}
