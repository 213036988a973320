// A packument of a popular package is 10–25 MB of JSON, of which bumpwise needs a few kilobytes: the
// version list with deprecations, the publish times, and the manifests of the versions it compares.
// JSON.parse would need the whole text as a string (often two bytes a character, for one emoji in a
// readme) and then build the whole object graph. This scanner walks the raw UTF-8 bytes once, skipping
// what it does not need, and decodes and parses only the small parts it keeps.

const enum Byte {
  Quote = 34,
  Backslash = 92,
  OpenBrace = 123,
  CloseBrace = 125,
  OpenBracket = 91,
  CloseBracket = 93,
  Comma = 44,
  Colon = 58,
}

export class ScanError extends Error {}

export function skipSpace(bytes: Buffer, index: number): number {
  let i = index;
  for (let c = bytes[i]; c === 32 || c === 9 || c === 10 || c === 13; c = bytes[++i]);
  return i;
}

function skipString(bytes: Buffer, index: number): number {
  let from = index + 1;
  for (;;) {
    const quote = bytes.indexOf(Byte.Quote, from);
    if (quote === -1) throw new ScanError("unterminated string");
    let backslashes = 0;
    for (let b = quote - 1; bytes[b] === Byte.Backslash; b--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index just past the JSON value that starts at `index`. */
export function skipValue(bytes: Buffer, index: number): number {
  const first = bytes[index];
  if (first === Byte.Quote) return skipString(bytes, index);
  if (first === Byte.OpenBrace || first === Byte.OpenBracket) {
    let depth = 0;
    for (let i = index; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === Byte.Quote) i = skipString(bytes, i) - 1;
      else if (c === Byte.OpenBrace || c === Byte.OpenBracket) depth++;
      else if ((c === Byte.CloseBrace || c === Byte.CloseBracket) && --depth === 0) return i + 1;
    }
    throw new ScanError("unterminated object");
  }
  let i = index;
  for (let c = bytes[i]; i < bytes.length && c !== Byte.Comma && c !== Byte.CloseBrace && c !== Byte.CloseBracket && c !== 32 && c !== 10 && c !== 13 && c !== 9; c = bytes[++i]);
  if (i === index) throw new ScanError(`unexpected character at ${index}`);
  return i;
}

/** Parses the JSON value at [start, end). */
export function parseSlice(bytes: Buffer, start: number, end: number): unknown {
  return JSON.parse(bytes.toString("utf8", start, end));
}

/** The members of the object starting at `index`: each key, decoded, and where its value lies. */
export function* objectMembers(bytes: Buffer, index: number): Generator<{ key: string; start: number; end: number }> {
  let i = skipSpace(bytes, index);
  if (bytes[i] !== Byte.OpenBrace) throw new ScanError("expected an object");
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === Byte.CloseBrace) return;
  for (;;) {
    if (bytes[i] !== Byte.Quote) throw new ScanError("expected a key");
    const keyEnd = skipString(bytes, i);
    const escaped = bytes.subarray(i + 1, keyEnd - 1).includes(Byte.Backslash);
    const key = escaped ? (parseSlice(bytes, i, keyEnd) as string) : bytes.toString("utf8", i + 1, keyEnd - 1);
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== Byte.Colon) throw new ScanError("expected a colon");
    const start = skipSpace(bytes, i + 1);
    const end = skipValue(bytes, start);
    yield { key, start, end };
    i = skipSpace(bytes, end);
    const next = bytes[i];
    if (next === Byte.CloseBrace) return;
    if (next !== Byte.Comma) throw new ScanError("expected a comma");
    i = skipSpace(bytes, i + 1);
  }
}
