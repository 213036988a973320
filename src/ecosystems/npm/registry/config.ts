import path from "node:path";
import { fileURLToPath } from "node:url";
import Config from "@npmcli/config";
import configDefinitions from "@npmcli/config/lib/definitions/index.js";

/**
 * npm-registry-fetch options as npm itself would build them for this project. `retriesConfigured`:
 * the user set fetch-retries or its timeouts (.npmrc, env); bumpwise then keeps them as they are.
 */
export type RegistryOptions = Record<string, unknown> & { registry: string; retriesConfigured?: boolean };

export interface RegistryConfigRequest {
  projectDir: string;
  /** --registry: overrides the default registry (scoped registries from .npmrc still apply). */
  registry?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads .npmrc the way npm does (project, user, global, builtin; npm_config_* env; ${VAR} expansion),
 * so scoped registries, auth tokens, proxies and CA files behave as they do for npm.
 */
export async function loadRegistryOptions(request: RegistryConfigRequest): Promise<RegistryOptions> {
  const argv = ["node", "bumpwise"];
  if (request.registry) argv.push("--registry", request.registry);
  const config = new Config({
    npmPath: path.dirname(fileURLToPath(import.meta.url)),
    cwd: request.projectDir,
    argv,
    env: request.env ?? process.env,
    ...configDefinitions,
    warn: false,
  });
  await config.load();
  const flat = { ...config.flat } as RegistryOptions;
  flat.retriesConfigured = ["fetch-retries", "fetch-retry-mintimeout", "fetch-retry-maxtimeout"].some((key) => config.find(key) !== "default");
  // bumpwise keeps its own cache; npm's HTTP cache and offline switches must not leak in.
  delete flat.cache;
  delete flat.offline;
  delete flat.preferOffline;
  delete flat.preferOnline;
  return flat;
}
