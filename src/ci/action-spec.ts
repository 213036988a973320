import { InputError } from "../errors.js";

// owner/name@<40 hex>: a commit cannot be moved the way a tag or a branch can.
const pinned = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)@([0-9a-f]{40})$/;

/** Whether a `uses:` spec names an action by full commit SHA. */
export function isPinnedAction(spec: string): boolean {
  return pinned.test(spec);
}

/** What of bumpwise's own package.json says where its action lives: `repository`, and `gitHead` (npm adds it when publishing from git). */
export interface ToolManifest {
  repository?: string | { type?: string; url?: string };
  gitHead?: string;
}

/**
 * The bumpwise action a generated workflow runs, pinned by commit: --action owner/repo@sha, else the
 * repository and commit the installed package was published from. Never an unversioned package name:
 * `npx --yes bumpwise` would run whatever is published under that name, with the workflow's token.
 */
export function bumpwiseAction(flag: string | undefined, manifest: ToolManifest): string {
  if (flag !== undefined) {
    if (!isPinnedAction(flag)) throw new InputError(`--action expects owner/repo@<40-character commit SHA>, got "${flag}" (a tag or branch can be moved to other code)`);
    return flag;
  }
  const repo = githubRepository(manifest.repository);
  if (repo && manifest.gitHead && /^[0-9a-f]{40}$/.test(manifest.gitHead)) return `${repo}@${manifest.gitHead}`;
  throw new InputError("cannot tell which commit of the bumpwise action to pin: pass --action owner/repo@<40-character commit SHA>");
}

function githubRepository(repository: ToolManifest["repository"]): string | undefined {
  const url = typeof repository === "string" ? repository : repository?.url;
  if (!url) return undefined;
  const match = /^(?:github:|(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]|git@github\.com:)?([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url);
  return match?.[1];
}
