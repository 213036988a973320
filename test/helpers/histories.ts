import { type PackageHistory } from "../../src/registry/contract.js";
import { checkPackument, toPackageHistory, trimManifest, type VersionManifest } from "../../src/ecosystems/npm/registry/packument.js";
import { recordedPackument } from "./fake-registry.js";

/** A recorded packument (fixtures/registry/) as the registry client returns it. */
export function recordedHistory(name: string): PackageHistory {
  return toPackageHistory(checkPackument(recordedPackument(name)));
}

/** One version's manifest from a recorded packument, as the registry client returns it. */
export function recordedManifest(name: string, version: string): VersionManifest {
  const versions = checkPackument(recordedPackument(name)).versions ?? {};
  const manifest = trimManifest(version, versions[version]);
  if (!manifest) throw new Error(`${name}@${version} is not in the fixture`);
  return manifest;
}
