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

/**
 * With a CA bundle configured (`cafile`, `ca`) and no proxy: the run's connections share one agent that
 * holds one TLS context built from it, and the bundle is no longer handed with every request. Handed so,
 * Node put the whole bundle into every request's connection-pool name and parsed it again for every new
 * connection (a 144-certificate system bundle: ~0.45 s of uptime-kuma's cold review on the main thread).
 * Through a proxy, npm's own per-request agent choice is kept.
 */
export async function withSharedTls(options: RegistryOptions, env: NodeJS.ProcessEnv = process.env): Promise<RegistryOptions> {
  const ca = options.ca;
  const proxied = Boolean(options.proxy || options.httpsProxy) || Object.keys(env).some((key) => /^(https?_)?proxy$/i.test(key) && env[key]);
  if (!ca || (Array.isArray(ca) && ca.length === 0) || proxied) return options;
  const [{ createSecureContext }, { Agent }] = await Promise.all([import("node:tls"), import("@npmcli/agent")]);
  const { ca: _bundle, ...rest } = options;
  const agent = new Agent({ ...rest, secureContext: createSecureContext({ ca: ca as string | string[] }), rejectUnauthorized: options.strictSSL !== false });
  return { ...rest, agent };
}
