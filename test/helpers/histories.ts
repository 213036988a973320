import { type PackageHistory, packumentSchema, toPackageHistory } from "../../src/registry/packument.js";
import { recordedPackument } from "./fake-registry.js";

/** A recorded packument (fixtures/registry/) as the registry client returns it. */
export function recordedHistory(name: string): PackageHistory {
  return toPackageHistory(packumentSchema.parse(recordedPackument(name)));
}
