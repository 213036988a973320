import { readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parseSyml } from "@yarnpkg/parsers";
import { parse as parseYaml } from "yaml";
import { compare as compareVersions } from "semver";
import { useCliWorld } from "../../helpers/cli.js";
import { fixturesDir } from "../../helpers/fake-registry.js";

const world = useCliWorld();
const modules = path.resolve(import.meta.dirname, "../../../node_modules");

// The package managers come from this project's devDependencies, each behind a shim on PATH.
const managers = [
  {
    manager: "pnpm",
    binary: "pnpm",
    script: path.join(modules, "pnpm/bin/pnpm.cjs"),
    lockfile: "pnpm-lock.yaml",
    marker: "lockfileVersion: '9.0'",
    lock: ["install", "--lockfile-only", "--ignore-scripts"],
    accept: ["install", "--frozen-lockfile", "--ignore-scripts"],
    config: (registry: string) => ({ ".npmrc": `registry=${registry}\n` }),
    locked: (text: string) => Object.keys(parseYaml(text).packages ?? {}),
    ranges: { uuid: "^9.0.0", commander: "~11.0.0", dayjs: "1.11.0" } as Record<string, string> | undefined,
  },
  {
    manager: "yarn classic",
    binary: "yarn",
    script: path.join(modules, "yarn/bin/yarn.js"),
    lockfile: "yarn.lock",
    marker: "# yarn lockfile v1",
    lock: ["install", "--ignore-scripts", "--non-interactive"],
    accept: ["install", "--frozen-lockfile", "--ignore-scripts", "--non-interactive"],
    // No self-update check: it would ask a host other than the fake registry.
    config: (registry: string) => ({ ".yarnrc": `registry "${registry}"\ndisable-self-update-check true\n`, ".npmrc": `registry=${registry}\n` }),
    locked: (text: string) => Object.values(parseSyml(text) as Record<string, { version: string }>).map((entry) => entry.version),
    ranges: { uuid: "^9.0.0", commander: "~11.0.0", dayjs: "1.11.0" } as Record<string, string> | undefined,
    // yarn resolves a new range afresh, to the newest: the registry shows only the old versions while it locks.
    hideNewer: true,
  },
  {
    manager: "yarn berry",
    binary: "yarn",
    script: path.join(modules, "@yarnpkg/cli-dist/bin/yarn.js"),
    lockfile: "yarn.lock",
    marker: "__metadata:",
    lock: ["install", "--mode=update-lockfile"],
    accept: ["install", "--immutable", "--mode=skip-build"],
    config: (registry: string) => ({
      ".yarnrc.yml": `npmRegistryServer: "${registry.replace(/\/$/, "")}"\nunsafeHttpWhitelist: ["127.0.0.1"]\nnodeLinker: node-modules\nenableGlobalCache: false\nenableTelemetry: false\n`,
    }),
    locked: (text: string) => Object.values(parseSyml(text) as Record<string, { version?: string }>).map((entry) => entry.version ?? ""),
    ranges: { uuid: "^9.0.0", commander: "~11.0.0", dayjs: "1.11.0" } as Record<string, string> | undefined,
    hideNewer: true,
  },
];

const recorded = (name: string) => JSON.parse(readFileSync(path.join(fixturesDir, "registry", `${name}.json`), "utf8")) as { "dist-tags": Record<string, string>; versions: Record<string, unknown>; time?: Record<string, string> };

// The recorded packument as the registry showed it when `version` was the newest.
function onlyUpTo(name: string, version: string) {
  const packument = recorded(name);
  const keep = (candidate: string) => candidate === version || !/^\d/.test(candidate) || compareVersions(candidate, version) <= 0;
  packument.versions = Object.fromEntries(Object.entries(packument.versions).filter(([candidate]) => keep(candidate)));
  if (packument.time) packument.time = Object.fromEntries(Object.entries(packument.time).filter(([candidate]) => keep(candidate)));
  packument["dist-tags"] = { latest: version };
  return packument;
}

describe.each(managers)("review --branch on a $manager project ($lockfile)", (setup) => {
  it("moves the ranges keeping their operator (an exact pin stays exact), regenerates the lockfile with the manager, and the manager accepts it", async () => {
    const shims = await mkdtemp(path.join(os.tmpdir(), "bumpwise-shims-"));
    await writeFile(path.join(shims, setup.binary), `#!/bin/sh\nexec "${process.execPath}" "${setup.script}" "$@"\n`);
    await chmod(path.join(shims, setup.binary), 0o755);
    const home = await mkdtemp(path.join(os.tmpdir(), "bumpwise-home-"));
    Object.assign(world.env, {
      PATH: `${shims}:${process.env.PATH}`,
      HOME: home,
      npm_config_registry: world.registry.url,
      npm_config_store_dir: path.join(home, "store"),
      YARN_CACHE_FOLDER: path.join(home, "yarn-cache"),
      COREPACK_ENABLE_STRICT: "0",
    });
    const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-repo-"));
    const run = async (command: string, args: string[], cwd = repo) => (await execa(command, args, { cwd, env: world.env, extendEnv: false })).stdout;
    const manifest = { name: "app", version: "1.0.0", private: true, dependencies: { uuid: "9.0.0", commander: "11.0.0", dayjs: "1.11.0" } };
    await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(path.join(repo, ".gitignore"), "node_modules/\n.yarn/\n.pnp.*\n.bumpwise/\n");
    for (const [file, content] of Object.entries(setup.config(world.registry.url))) await writeFile(path.join(repo, file), content);
    await run(setup.binary, setup.lock);
    // Relaxed to ranges as a user declares them; pnpm keeps the locked versions. yarn resolves a new
    // range afresh, to the newest: while it locks, the registry shows only the versions locked.
    if (setup.ranges) {
      if ("hideNewer" in setup) for (const [name, version] of [["uuid", "9.0.0"], ["commander", "11.0.0"]] as const) world.registry.publish(name, onlyUpTo(name, version));
      await writeFile(path.join(repo, "package.json"), `${JSON.stringify({ ...manifest, dependencies: setup.ranges }, null, 2)}\n`);
      await run(setup.binary, setup.lock);
      if ("hideNewer" in setup) for (const name of ["uuid", "commander"]) world.registry.publish(name, recorded(name));
    }
    await run("git", ["init", "--quiet", "-b", "main"]);
    await run("git", ["add", "-A"]);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"]);

    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--branch", "deps", "--apply", "all");
    expect(stderr).toContain("Branch deps: 1 commit(s), 3 upgrade(s)");
    expect(code).toBe(0);
    expect(JSON.parse(await run("git", ["show", "deps:package.json"])).dependencies).toEqual(setup.ranges ? { uuid: "^9.0.1", commander: "~11.1.0", dayjs: "1.11.23" } : { uuid: "9.0.1", commander: "11.1.0", dayjs: "1.11.23" });
    const lock = await run("git", ["show", `deps:${setup.lockfile}`]);
    expect(lock).toContain(setup.marker);
    expect(setup.locked(lock).join(" ")).toMatch(/9\.0\.1/);
    expect(setup.locked(lock).join(" ")).toMatch(/1\.11\.23/);
    expect(await run("git", ["status", "--porcelain"])).toBe("");

    const check = await mkdtemp(path.join(os.tmpdir(), "bumpwise-check-"));
    await run("git", ["worktree", "add", "--quiet", check, "deps"]);
    await run(setup.binary, setup.accept, check);
    expect(JSON.parse(await readFile(path.join(check, "node_modules/dayjs/package.json"), "utf8")).version).toBe("1.11.23");
  }, 120_000);
});
