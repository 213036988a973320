import path from "node:path";
import type { Exec } from "../../../exec.js";
import { readProjectFile, writeProjectFile } from "../../../safe-file.js";
import { readPythonInventory } from "../lockfile/index.js";
import { type PinStyle, pinTomlRequirements } from "../pins.js";

/** What flows through to the Python tools: --index-url and --offline, in each tool's own variables. */
export interface PythonToolSetup {
  indexUrl?: string;
  offline: boolean;
  /** The sha256 of every file of a release, from the index: hand-pinned requirements with hashes need them. */
  digests?: (name: string, version: string) => Promise<string[]>;
  /** Whether the index has a wheel of a release: one without needs a build to be locked. */
  hasWheel?: (name: string, version: string) => Promise<boolean>;
  /** --allow-builds; off, no tool may build a package (each gets its own no-build switch). */
  allowBuilds?: boolean;
}

/** The environment a Python tool runs with. */
export type ToolEnv = (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;

// The tools read the index and offline mode from their own variables; an activated virtualenv is not theirs to use.
export function toolEnv(env: NodeJS.ProcessEnv, setup: PythonToolSetup): NodeJS.ProcessEnv {
  const { VIRTUAL_ENV: _active, ...rest } = env;
  const index = setup.indexUrl ? { UV_INDEX_URL: setup.indexUrl, PIP_INDEX_URL: setup.indexUrl, PIPENV_PYPI_MIRROR: setup.indexUrl } : {};
  const offline = setup.offline ? { UV_OFFLINE: "1", PIP_NO_INDEX: "1" } : {};
  // pip (under pip-compile and pipenv) builds an sdist to read its metadata; wheels only, unless allowed.
  const noBuild = setup.allowBuilds ? {} : { PIP_ONLY_BINARY: ":all:" };
  return { ...rest, ...index, ...offline, ...noBuild, UV_NO_PROGRESS: "1" };
}

// The test command runs with the worktree's virtualenv first on PATH, as `source .venv/bin/activate` would.
export function activate(projectDir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const venv = path.join(projectDir, ".venv");
  const bin = path.join(venv, process.platform === "win32" ? "Scripts" : "bin");
  return { ...env, VIRTUAL_ENV: venv, PATH: `${bin}${path.delimiter}${env.PATH ?? ""}` };
}

/**
 * Moves the targets in pyproject.toml, one changed line per package, each range keeping its operators.
 * Returns the text before when it changed, so a caller can put it back.
 */
export async function pinPyproject(projectDir: string, targets: ReadonlyMap<string, string>, pins: PinStyle = "keep-operator"): Promise<string | undefined> {
  const before = await readProjectFile(projectDir, "pyproject.toml", "the pin in");
  const { text, pinned } = pinTomlRequirements(before, targets, "pep621-or-poetry", pins);
  if (pinned.length === 0 || text === before) return undefined;
  await writeProjectFile(projectDir, "pyproject.toml", text, "the pin in");
  return before;
}

/**
 * A requirements file installed into a fresh `.venv` by pip: wheels only (`--only-binary :all:`), so
 * no package's build code runs during the install — as npm's install runs with scripts off.
 */
export async function pipInstall(projectDir: string, exec: Exec, env: NodeJS.ProcessEnv, lockfile: string): Promise<NodeJS.ProcessEnv> {
  const venv = path.join(projectDir, ".venv");
  await exec("python3", ["-m", "venv", venv], { cwd: projectDir, env, purpose: "to create a virtualenv for --verify" });
  const python = path.join(venv, process.platform === "win32" ? "Scripts" : "bin", "python");
  await exec(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "--only-binary", ":all:", "-r", lockfile], { cwd: path.dirname(lockfile), env, purpose: `to install ${path.basename(lockfile)} into a virtualenv for --verify` });
  return activate(projectDir, env);
}

/** The regenerated lockfile's inventory, read as a review reads it. */
export function readLockInventory(projectDir: string, lockfilePath: string) {
  return readPythonInventory({ projectDir, lockfilePath });
}
