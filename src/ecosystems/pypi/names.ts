/** PEP 503: names compare lowercased with runs of "-", "_" and "." as one "-" (`Google_Auth` → `google-auth`). */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, "-");
}

/** One PEP 508 requirement, as written in pyproject, a requirements file or METADATA `Requires-Dist`. */
export interface Requirement {
  /** PEP 503-normalised. */
  name: string;
  extras: string[];
  /** The version specifier ("" when none), without spaces: ">=2.41.1,<3". */
  specifier: string;
  /** The environment marker after ";", as written. */
  marker?: string;
  /** `name @ URL`: a direct reference, never planned. */
  url?: string;
}

const requirementPattern = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;

/** Parses a PEP 508 requirement string; undefined when it does not start with a valid name. */
export function parseRequirement(text: string): Requirement | undefined {
  const [body = "", ...markerParts] = text.split(";");
  const match = requirementPattern.exec(body);
  if (!match?.[1]) return undefined;
  const rest = (match[3] ?? "").trim();
  const marker = markerParts.join(";").trim();
  const requirement: Requirement = {
    name: normaliseName(match[1]),
    extras: (match[2] ?? "").split(",").map((extra) => extra.trim()).filter(Boolean),
    specifier: "",
    ...(marker ? { marker } : {}),
  };
  if (rest.startsWith("@")) return { ...requirement, url: rest.slice(1).trim() };
  const specifier = rest.replace(/^\((.*)\)$/s, "$1").replace(/\s+/g, "");
  if (specifier !== "" && !/^(?:(?:===|==|!=|~=|<=|>=|<|>)[^,]+)(?:,(?:===|==|!=|~=|<=|>=|<|>)[^,]+)*$/.test(specifier)) return undefined;
  return { ...requirement, specifier };
}

/** `==1.2.3` (not `==1.2.*`) or `===1.2.3`: the project chose this exact version. */
export function isExactPin(specifier: string): boolean {
  return /^===?[^,*]+$/.test(specifier.trim());
}

// Extras that serve a package's own development (its tests, docs, linting), not a feature its users' code runs.
const toolingExtra = /^(?:tests?|testing|dev|devel|develop|development|docs?|documentation|lint|linting|typing|types|mypy|type-?check(?:ing)?|check|coverage|bench|benchmarks?|ci|release|build|style|quality|format(?:ting)?|pre-commit)$/;

/** The extra a requirement's marker names (`extra == "redis"`), when it names one. */
export function extraOf(requirement: Requirement): string | undefined {
  return /\bextra\s*==\s*["']([^"']+)["']/.exec(requirement.marker ?? "")?.[1];
}

/** A requirement only the package's own tooling installs (`pytest; extra == "tests"`). */
export function forTooling(requirement: Requirement): boolean {
  const extra = extraOf(requirement);
  return extra !== undefined && toolingExtra.test(normaliseName(extra));
}

/** The modules a distribution installs as its wheel names them, else its usual spelling (`python-dateutil` → python_dateutil). */
export function modulesOf(name: string, topLevel: readonly string[] = []): string[] {
  return topLevel.length > 0 ? [...topLevel] : [name.replace(/-/g, "_")];
}

/**
 * Only the requirements every install gets (no `extra == …` marker), by normalised name with the line
 * they were read from: each side is parsed once, so a package with 50,000 lines compares in one pass.
 */
export function requiredByEveryInstall(requiresDist: readonly string[]): Map<string, Requirement & { text: string }> {
  const result = new Map<string, Requirement & { text: string }>();
  for (const text of requiresDist) {
    const requirement = parseRequirement(text);
    if (!requirement || /\bextra\s*==/.test(requirement.marker ?? "")) continue;
    result.set(requirement.name, { ...requirement, text });
  }
  return result;
}
