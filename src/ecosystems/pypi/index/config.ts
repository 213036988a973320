import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InputError } from "../../../errors.js";
import { parseTomlFile, table } from "../pyproject.js";

/** The index bumpwise asks, with where that was configured; credentials never appear in `display`. */
export interface PythonIndex {
  /** The Simple API root ("https://pypi.org/simple"), credentials removed. */
  url: string;
  /** "Authorization" header value, when the index needs one. */
  authorization?: string;
  /** Where the URL came from, for the report. */
  source: string;
}

export const defaultIndexUrl = "https://pypi.org/simple";

/**
 * The index URL, in order: --index-url, UV_INDEX_URL / PIP_INDEX_URL, the default `[[tool.uv.index]]`,
 * a Poetry `[[tool.poetry.source]]` with priority primary/default, uv.toml, the Pipfile's first
 * `[[source]]`, pip.conf; else PyPI.
 * Credentials come from the URL, UV_INDEX_<NAME>_USERNAME/PASSWORD, or netrc.
 */
export async function resolveIndex(request: { projectDir: string; indexUrl?: string; env: NodeJS.ProcessEnv }): Promise<PythonIndex> {
  const { env } = request;
  const found = request.indexUrl
    ? { url: request.indexUrl, source: "--index-url" }
    : env.UV_INDEX_URL
      ? { url: env.UV_INDEX_URL, source: "UV_INDEX_URL" }
      : env.PIP_INDEX_URL
        ? { url: env.PIP_INDEX_URL, source: "PIP_INDEX_URL" }
        : ((await fromProject(request.projectDir, env)) ?? (await fromPipConf(env)) ?? { url: defaultIndexUrl, source: "default (PyPI)" });
  let url: URL;
  try {
    url = new URL(found.url);
  } catch {
    throw new InputError(`the index URL from ${found.source} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InputError(`the index URL from ${found.source} must be http or https, not ${url.protocol}`);
  let user = decodeURIComponent(url.username);
  let password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const named = "name" in found && typeof found.name === "string" ? found.name.toUpperCase().replace(/[^A-Z0-9]/g, "_") : undefined;
  if (!user && named && env[`UV_INDEX_${named}_USERNAME`]) {
    user = env[`UV_INDEX_${named}_USERNAME`] ?? "";
    password = env[`UV_INDEX_${named}_PASSWORD`] ?? "";
  }
  if (!user) ({ user, password } = (await fromNetrc(url.hostname, env)) ?? { user: "", password: "" });
  const index: PythonIndex = { url: url.toString().replace(/\/+$/, ""), source: found.source };
  if (user || password) index.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  return index;
}

async function fromProject(dir: string, env: NodeJS.ProcessEnv): Promise<{ url: string; source: string; name?: string } | undefined> {
  const text = await readFile(path.join(dir, "pyproject.toml"), "utf8").catch(() => undefined);
  const document = text === undefined ? {} : safeToml(text, "pyproject.toml");
  const tool = table(document.tool);
  const uvIndexes = Array.isArray(table(tool.uv).index) ? (table(tool.uv).index as unknown[]).map(table) : [];
  const uvDefault = uvIndexes.find((index) => index.default === true && typeof index.url === "string");
  if (uvDefault) return { url: String(uvDefault.url), source: "[[tool.uv.index]] in pyproject.toml", ...(typeof uvDefault.name === "string" ? { name: uvDefault.name } : {}) };
  const sources = Array.isArray(table(tool.poetry).source) ? (table(tool.poetry).source as unknown[]).map(table) : [];
  const primary = sources.find((source) => (source.priority === "primary" || source.priority === "default" || source.default === true) && typeof source.url === "string");
  if (primary) return { url: String(primary.url), source: "[[tool.poetry.source]] in pyproject.toml", ...(typeof primary.name === "string" ? { name: primary.name } : {}) };
  const uvToml = await readFile(path.join(dir, "uv.toml"), "utf8").catch(() => undefined);
  const uvConfig = uvToml === undefined ? {} : safeToml(uvToml, "uv.toml");
  const fromUvToml = (Array.isArray(uvConfig.index) ? (uvConfig.index as unknown[]).map(table) : []).find((index) => index.default === true && typeof index.url === "string");
  if (fromUvToml) return { url: String(fromUvToml.url), source: "[[index]] in uv.toml", ...(typeof fromUvToml.name === "string" ? { name: fromUvToml.name } : {}) };
  if (typeof uvConfig["index-url"] === "string") return { url: uvConfig["index-url"], source: "index-url in uv.toml" };
  // pipenv locks against the Pipfile's first [[source]]; its URL may name environment variables.
  const pipfileText = await readFile(path.join(dir, "Pipfile"), "utf8").catch(() => undefined);
  const pipfile = pipfileText === undefined ? {} : safeToml(pipfileText, "Pipfile");
  const first = (Array.isArray(pipfile.source) ? (pipfile.source as unknown[]).map(table) : [])[0];
  if (first && typeof first.url === "string") return { url: first.url.replace(/\$\{(\w+)\}|\$(\w+)/g, (_whole, braced?: string, bare?: string) => env[braced ?? bare ?? ""] ?? ""), source: "[[source]] in the Pipfile" };
  return undefined;
}

async function fromPipConf(env: NodeJS.ProcessEnv): Promise<{ url: string; source: string } | undefined> {
  const candidates = [env.PIP_CONFIG_FILE, path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "pip", "pip.conf"), path.join(os.homedir(), ".pip", "pip.conf")];
  for (const file of candidates) {
    if (!file) continue;
    const text = await readFile(file, "utf8").catch(() => undefined);
    const url = text === undefined ? undefined : /^\s*index-url\s*=\s*(\S+)/m.exec(text)?.[1];
    if (url) return { url, source: file };
  }
  return undefined;
}

async function fromNetrc(host: string, env: NodeJS.ProcessEnv): Promise<{ user: string; password: string } | undefined> {
  const text = await readFile(env.NETRC ?? path.join(os.homedir(), ".netrc"), "utf8").catch(() => undefined);
  if (!text) return undefined;
  const tokens = text.split(/\s+/).filter(Boolean);
  for (let index = 0; index < tokens.length; index++) {
    if (tokens[index] !== "machine" || tokens[index + 1] !== host) continue;
    const entry = { user: "", password: "" };
    for (let next = index + 2; next < tokens.length && tokens[next] !== "machine"; next += 2) {
      if (tokens[next] === "login") entry.user = tokens[next + 1] ?? "";
      if (tokens[next] === "password") entry.password = tokens[next + 1] ?? "";
    }
    return entry;
  }
  return undefined;
}

function safeToml(text: string, file: string): Record<string, unknown> {
  try {
    return parseTomlFile(text, file);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}
