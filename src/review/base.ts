import path from "node:path";
import { InputError } from "../errors.js";
import { CommandFailed, type Exec } from "../exec.js";

/**
 * The lockfile's text at a git ref (a pull request's base), read with `git show`: nothing is checked
 * out, the user's tree and index are not touched. `undefined` when the file does not exist at the ref
 * (the change adds the lockfile). A ref that does not name a commit is an InputError.
 */
export async function lockfileAtRef(exec: Exec, request: { projectDir: string; lockfilePath: string; ref: string; env: NodeJS.ProcessEnv }): Promise<string | undefined> {
  const { projectDir, ref, env } = request;
  // A ref starting with "-" would be read by git as an option.
  if (ref === "" || ref.startsWith("-")) throw new InputError(`--base expects a git ref (a branch, tag or commit), got "${ref}"`);
  const git = (args: string[], purpose: string) => exec("git", args, { cwd: projectDir, env, purpose });
  let commit: string;
  try {
    commit = (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], "to find the --base commit")).stdout.trim();
  } catch (error) {
    if (error instanceof CommandFailed && error.missingBinary) throw error;
    throw new InputError(`--base ${ref}: no such commit in ${projectDir} (fetch it first, e.g. git fetch origin ${ref.replace(/^origin\//, "")})`);
  }
  // "<commit>:./path" is read relative to the working directory, so a project in a subfolder works.
  const relative = path.relative(projectDir, request.lockfilePath).split(path.sep).join("/");
  const object = `${commit}:./${relative}`;
  try {
    await git(["cat-file", "-e", object], "to look for the lockfile at --base");
  } catch (error) {
    if (error instanceof CommandFailed && error.missingBinary) throw error;
    return undefined;
  }
  return (await git(["show", object], "to read the lockfile at --base")).stdout;
}
