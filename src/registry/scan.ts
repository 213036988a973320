// A packument of a popular package is 10–25 MB of JSON, of which bumpwise needs a few kilobytes: the
// version list with deprecations, the publish times, and the manifests of the versions it compares.
// JSON.parse would build the whole object graph (several times the text in memory); this scanner walks
// the text once, skipping what it does not need, and parses only the small parts it keeps.

const enum Char {
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

function skipSpace(text: string, index: number): number {
  let i = index;
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  return i;
}

function skipString(text: string, index: number): number {
  let from = index + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) throw new ScanError("unterminated string");
    let backslashes = 0;
    for (let b = quote - 1; text.charCodeAt(b) === Char.Backslash; b--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index just past the JSON value that starts at `index`. */
export function skipValue(text: string, index: number): number {
  const first = text.charCodeAt(index);
  if (first === Char.Quote) return skipString(text, index);
  if (first === Char.OpenBrace || first === Char.OpenBracket) {
    let depth = 0;
    for (let i = index; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === Char.Quote) i = skipString(text, i) - 1;
      else if (c === Char.OpenBrace || c === Char.OpenBracket) depth++;
      else if ((c === Char.CloseBrace || c === Char.CloseBracket) && --depth === 0) return i + 1;
    }
    throw new ScanError("unterminated object");
  }
  let i = index;
  for (let c = text.charCodeAt(i); i < text.length && c !== Char.Comma && c !== Char.CloseBrace && c !== Char.CloseBracket && c !== 32 && c !== 10 && c !== 13 && c !== 9; c = text.charCodeAt(++i));
  if (i === index) throw new ScanError(`unexpected character at ${index}`);
  return i;
}

/** The members of the object starting at `index`: each key, decoded, and where its value lies. */
export function* objectMembers(text: string, index: number): Generator<{ key: string; start: number; end: number }> {
  let i = skipSpace(text, index);
  if (text.charCodeAt(i) !== Char.OpenBrace) throw new ScanError("expected an object");
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === Char.CloseBrace) return;
  for (;;) {
    if (text.charCodeAt(i) !== Char.Quote) throw new ScanError("expected a key");
    const keyEnd = skipString(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const key = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== Char.Colon) throw new ScanError("expected a colon");
    const start = skipSpace(text, i + 1);
    const end = skipValue(text, start);
    yield { key, start, end };
    i = skipSpace(text, end);
    const next = text.charCodeAt(i);
    if (next === Char.CloseBrace) return;
    if (next !== Char.Comma) throw new ScanError("expected a comma");
    i = skipSpace(text, i + 1);
  }
}
