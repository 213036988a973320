import pep440 from "@renovatebot/pep440";

// The Python lines checked: 3.6 up to two past the newest release when this was written (3.14).
const lines = Array.from({ length: 13 }, (_, index) => `3.${index + 6}`);

/**
 * The first Python version the project allows that `needs` rejects, checking the first allowed
 * patch of each 3.x line (">=3.9" allows 3.9.0; ">=3.9.2" allows 3.9 from 3.9.2). Undefined when
 * every line the project allows still fits, or either range cannot be read.
 */
export function firstExcludedPython(projectRange: string, needs: string): string | undefined {
  if (!readable(projectRange) || !readable(needs)) return undefined;
  const start = startsOf(projectRange).find((version) => !pep440.satisfies(version, needs));
  return start?.replace(/\.0$/, "");
}

// The project's range is the same for every package asked about: its first allowed patch of each line
// is found once (each satisfies() parses the range again).
const lineStarts = new Map<string, string[]>();

function startsOf(projectRange: string): string[] {
  let starts = lineStarts.get(projectRange);
  if (!starts) {
    starts = lines.flatMap((line) => Array.from({ length: 30 }, (_, patch) => `${line}.${patch}`).find((version) => pep440.satisfies(version, projectRange)) ?? []);
    lineStarts.set(projectRange, starts);
  }
  return starts;
}

function readable(range: string): boolean {
  return range.trim() !== "" && pep440.validRange(range.replace(/\s+/g, "")) === true;
}
