// Sentence and clause splitting over cleaned text.
// Sentences end at 。！？!? (with any closing quotes) and at kept line breaks;
// `；` does not end a sentence: the spec carries a year across it.
// Clauses end at ，,；;：: and at ellipses.

export interface Span {
  start: number;
  end: number;
}

// as sets of character codes: tested at every position of the text, without making a string of each character
const codes = (chars: string) => new Set([...chars].map((c) => c.charCodeAt(0)));
const STOP = codes('。！？!?\n');
const CLOSE = codes('”’」』"\'）)】》');
const CLAUSE = /[，,；;：:\n●•◆■▲]|…+/g;

export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!STOP.has(text.charCodeAt(i))) continue;
    let end = i + 1;
    while (end < n && CLOSE.has(text.charCodeAt(end)) && text[i] !== '\n') end++;
    // `?`/`!` inside ASCII words (URLs) do not end sentences
    if ((text[i] === '?' || text[i] === '!') && /[A-Za-z0-9=&]/.test(text[end] ?? '')) continue;
    push(out, text, start, end);
    start = end;
    i = end - 1;
  }
  push(out, text, start, n);
  return out;
}

function push(out: Span[], text: string, start: number, end: number) {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end > start) out.push({ start, end });
}

/** Clause boundaries inside [start, end): returns clause spans. */
export function splitClauses(text: string, span: Span): Span[] {
  const out: Span[] = [];
  const body = text.slice(span.start, span.end);
  let last = 0;
  CLAUSE.lastIndex = 0;
  for (let m = CLAUSE.exec(body); m; m = CLAUSE.exec(body)) {
    // a comma between digits is a thousands separator, not a clause break
    if (m[0] === ',' && /\d/.test(body[m.index - 1] ?? '') && /^\d{3}(?!\d)/.test(body.slice(m.index + 1, m.index + 5))) continue;
    if (m.index > last) out.push({ start: span.start + last, end: span.start + m.index });
    last = m.index + m[0].length;
  }
  if (last < body.length) out.push({ start: span.start + last, end: span.end });
  return out;
}
