import { actionInputs, inRepository, pinnedActions, slugSuffix, uploadStep, type WorkflowSetup } from "./workflow.js";

/**
 * The pull request workflow: on a pull request that changes a lockfile (Dependabot's, Renovate's,
 * anyone's), review the change against the base branch, post one comment and a `bumpwise` status.
 * `pull_request`, never `pull_request_target`: the PR's code runs with the PR's own, restricted token.
 */
export function pullRequestWorkflowYaml(setup: WorkflowSetup & { lockfiles: readonly string[] }): string {
  const where = setup.project ? ` (${setup.project})` : "";
  const paths = setup.lockfiles.map((name) => `      - "${setup.project ? inRepository(setup.project, name) : `**/${name}`}"\n`).join("");
  return `# Written by \`bumpwise init ci --pull-requests\`. On each pull request that changes a lockfile${where}:
# reviews the packages it moves (direct and transitive, majors included) against this project's code,
# posts one comment (updated on every push, never a second) and sets the \`bumpwise\` commit status,
# which fails on a breaking bump (make it a required check to block the merge).
# bumpwise runs from its own action pinned by commit (never an unversioned package name).
#
# Dependabot's pull requests (GitHub docs, "Troubleshooting Dependabot on GitHub Actions"): a workflow
# Dependabot triggers on pull_request gets a read-only GITHUB_TOKEN by default; the \`permissions\` key
# below is what grants it the comment (pull-requests: write) and the status (statuses: write). Its
# secrets come from the Dependabot secrets, not the Actions secrets: for Claude reviews on Dependabot's
# pull requests, store ANTHROPIC_API_KEY in both (Settings → Secrets and variables → Dependabot, and
# → Actions). Without the key the review is deterministic only.
# Pull requests from forks get a read-only token whatever this file says: their comment is refused.
name: bumpwise pull request${where}

on:
  pull_request:
    paths:
${paths}
permissions:
  contents: read
  pull-requests: write
  statuses: write

concurrency:
  group: bumpwise-pr${slugSuffix(setup.project)}-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      # The whole history, so the base branch is there to compare with; the token is not kept in .git.
      - uses: ${pinnedActions.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
      - name: Review the lockfile change
        uses: ${setup.action}
        with:
          mode: pull-request
          fail-on: breaking
${actionInputs(setup)}          # Run your tests on the base branch and on this pull request; a bump that breaks them is found:
          # verify: ${setup.testCommand ?? "npm test"}
${uploadStep(setup.project)}`;
}
