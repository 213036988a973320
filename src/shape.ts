// Checks of JSON read on every run (the lockfile, cached and fetched packuments), written by hand: a schema
// library's loading alone was a tenth of a warm run. Each failure names the first wrong field, as
// `packages.node_modules/x.version: expected a string`.

export class ShapeError extends Error {
  override name = "ShapeError";
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, where: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(`${where}: expected an object`);
  return value;
}

/** Each named field, when present, is of its kind. */
export function expectFields(object: JsonObject, kinds: Readonly<Record<string, "string" | "boolean">>, where: string): void {
  for (const [field, kind] of Object.entries(kinds)) {
    const value = object[field];
    if (value !== undefined && typeof value !== kind) throw new ShapeError(`${at(where, field)}: expected a ${kind}`);
  }
}

/** Absent, or a map of strings to strings. */
export function isStringMap(value: unknown): boolean {
  return value === undefined || (isObject(value) && Object.values(value).every((entry) => typeof entry === "string"));
}

/** A map of strings to strings (dependency ranges, dist-tags), when present. */
export function expectOptionalStringMap(value: unknown, where: string): void {
  if (value === undefined) return;
  for (const [key, entry] of Object.entries(expectObject(value, where))) {
    if (typeof entry !== "string") throw new ShapeError(`${at(where, key)}: expected a string`);
  }
}

/** The path to a field: `packages.node_modules/x`, `importers["."]` for a key with a dot in it. */
export function at(where: string, field: string): string {
  if (field === "" || field.includes(".")) return `${where === "top level" ? "" : where}[${JSON.stringify(field)}]`;
  return where === "top level" ? field : `${where}.${field}`;
}
