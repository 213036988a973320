// Records trimmed full packuments from the registry configured in .npmrc into fixtures/registry/.
// Usage: npx tsx scripts/record-registry.ts NAME@MAJOR [NAME@MAJOR …]
// Keeps every stable version of the given major (plus a few prereleases), and only the manifest
// fields bumpwise reads; readmes, maintainers and other majors are dropped to keep fixtures small.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import npa from "npm-package-arg";
import npmFetch from "npm-registry-fetch";
import semver from "semver";
import { loadRegistryOptions } from "../src/ecosystems/npm/registry/config.js";

const keptFields = [
  "name", "version", "deprecated", "engines", "peerDependencies", "peerDependenciesMeta", "dependencies",
  "optionalDependencies", "type", "exports", "main", "module", "types", "typings", "scripts", "gypfile",
  "repository", "homepage", "bugs",
];

const options = await loadRegistryOptions({ projectDir: process.cwd() });
for (const argument of process.argv.slice(2)) {
  const at = argument.lastIndexOf("@");
  const name = argument.slice(0, at);
  const major = Number(argument.slice(at + 1));
  const packument = (await npmFetch.json(`/${npa(name).escapedName}`, { ...options, spec: name, headers: { accept: "application/json" } })) as {
    name: string;
    "dist-tags": Record<string, string>;
    time: Record<string, string>;
    versions: Record<string, Record<string, unknown> & { dist?: { tarball?: string; integrity?: string } }>;
  };
  const inMajor = Object.keys(packument.versions).filter((version) => semver.valid(version) && semver.major(version) === major);
  const prereleases = inMajor.filter((version) => semver.prerelease(version)).slice(-5);
  const kept = inMajor.filter((version) => !semver.prerelease(version) || prereleases.includes(version));
  const versions: Record<string, unknown> = {};
  for (const version of kept) {
    const manifest = packument.versions[version] ?? {};
    const trimmed: Record<string, unknown> = Object.fromEntries(keptFields.filter((field) => field in manifest).map((field) => [field, manifest[field]]));
    trimmed.dist = { integrity: manifest.dist?.integrity, tarball: `/${name}/-/${name.split("/").pop()}-${version}.tgz` };
    versions[version] = trimmed;
  }
  const time = Object.fromEntries(Object.entries(packument.time ?? {}).filter(([version]) => version in versions || version === "modified" || version === "created"));
  const file = path.join("fixtures", "registry", `${name.replace("/", "__")}.json`);
  await writeFile(file, `${JSON.stringify({ name: packument.name, "dist-tags": packument["dist-tags"], time, versions }, null, 1)}\n`);
  console.log(`${file}: ${kept.length} versions of ${name}@${major}.x`);
}
