import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:https";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createGitHubClient } from "../../../../src/github/client.js";
import { createPypiIndex } from "../../../../src/ecosystems/pypi/index/client.js";
import { noCache } from "../../../../src/registry/cache.js";
import { loadRegistryOptions, withSharedTls } from "../../../../src/ecosystems/npm/registry/config.js";
import { createTarballReader } from "../../../../src/ecosystems/npm/registry/tarball.js";
import { isPackagedChangelog } from "../../../../src/ecosystems/npm/notes/tarball.js";
import { RegistryError } from "../../../../src/registry/contract.js";
import { createNpmRegistry } from "../../../../src/ecosystems/npm/registry/npm.js";
import { fixturesDir } from "../../../helpers/fake-registry.js";
import { listenOnLoopback } from "../../../helpers/listen.js";

// A TLS-inspecting proxy whose CA Node was not given: an HTTPS server on loopback with a self-signed certificate.
const servedPackument = { name: "express", "dist-tags": { latest: "4.18.2" }, versions: { "4.18.2": { name: "express", version: "4.18.2" } } };
let origin: string;
let close: () => Promise<void>;
beforeEach(async () => {
  const tls = path.join(fixturesDir, "tls");
  const server = createServer({ key: readFileSync(path.join(tls, "self-signed.key")), cert: readFileSync(path.join(tls, "self-signed.crt")) }, (request, response) =>
    response.end(request.url?.endsWith(".tgz") ? readFileSync(path.join(fixturesDir, "tarballs", "express-4.22.3.tgz")) : JSON.stringify(servedPackument)),
  );
  const listening = await listenOnLoopback(server);
  origin = listening.origin.replace(/^http:/, "https:");
  close = listening.close;
});
afterEach(() => close());

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

const untrusted = "DEPTH_ZERO_SELF_SIGNED_CERT: its TLS certificate is not trusted; behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to the proxy's CA file";

it("an index whose certificate is not trusted says so, and what to set", async () => {
  const pypi = createPypiIndex({ index: { url: `${origin}/simple`, source: "test" }, cache: noCache });
  const error = await failure(pypi.packument("fastapi"));
  expect(error.code).toBe("network");
  expect(error.message).toBe(`cannot reach the index for fastapi (${new URL(origin).host}: ${untrusted})`);
});

it("so does an npm registry", async () => {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  const options = await loadRegistryOptions({ projectDir, registry: origin, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const error = await failure(createNpmRegistry({ options, cache: noCache }).packument("express"));
  expect(error.message).toBe(`cannot reach the registry for express (${untrusted})`);
});

it("an npm registry whose certificate the project's cafile names is trusted, as npm trusts it", async () => {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  await writeFile(path.join(projectDir, ".npmrc"), `cafile=${path.join(fixturesDir, "tls", "self-signed.crt")}\n`);
  const options = await loadRegistryOptions({ projectDir, registry: origin, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const registry = createNpmRegistry({ options, cache: noCache });
  const [first, second] = await Promise.all([registry.packument("express"), registry.packument("express")]);
  expect(first.distTags).toEqual({ latest: "4.18.2" });
  expect(Object.keys(second.versions)).toEqual(["4.18.2"]);
});

it("with the run's one TLS context for the cafile, that cafile is still what is trusted: packuments and tarballs load, another CA's bundle is refused", async () => {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  await writeFile(path.join(projectDir, ".npmrc"), `cafile=${path.join(fixturesDir, "tls", "self-signed.crt")}\n`);
  const options = await loadRegistryOptions({ projectDir, registry: origin, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const shared = await withSharedTls(options, {});
  // The bundle goes with the agent, not with every request.
  expect([shared.ca, shared.agent !== undefined]).toEqual([undefined, true]);
  expect((await createNpmRegistry({ options: shared, cache: noCache }).packument("express")).distTags).toEqual({ latest: "4.18.2" });
  const contents = await createTarballReader({ options: shared, keep: { always: isPackagedChangelog } }).read("express", "4.22.3", `${origin}/express/-/express-4.22.3.tgz`, undefined);
  expect(contents.files.map((file) => file.path)).toEqual(["History.md"]);
  const otherCa = await withSharedTls({ ...options, ca: rootCertificates[0] }, {});
  expect((await failure(createNpmRegistry({ options: otherCa, cache: noCache }).packument("express"))).message).toBe(`cannot reach the registry for express (${untrusted})`);
  // Through a proxy, npm's own per-request agents are kept.
  expect(await withSharedTls(options, { HTTPS_PROXY: "http://127.0.0.1:9" })).toBe(options);
});

it("so does GitHub, once for the run", async () => {
  const github = createGitHubClient({ baseUrl: origin, retryBaseMs: 5 });
  const error = await github.request("GET /repos/{owner}/{repo}/releases", { owner: "o", repo: "r" }).then(() => undefined, (caught: unknown) => caught as Error);
  expect(error?.message).toContain(`no answer from GitHub (${untrusted})`);
});

it("a refused connection names its code", async () => {
  await close();
  const pypi = createPypiIndex({ index: { url: `${origin}/simple`, source: "test" }, cache: noCache });
  expect((await failure(pypi.packument("fastapi"))).message).toBe(`cannot reach the index for fastapi (${new URL(origin).host}: ECONNREFUSED)`);
  close = async () => undefined;
});
