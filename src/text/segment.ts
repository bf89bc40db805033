// Sentence and clause splitting over cleaned text.
// Sentences end at 。！？!? (with any closing quotes) and at kept line breaks;
// `；` does not end a sentence: the spec carries a year across it.
// Clauses end at ，,；;：: and at ellipses.

export interface Span {
  start: number;
  end: number;
}

/** The index of the first span, in a list sorted by start, that starts at p or later. */
export function firstFrom(spans: readonly { start: number }[], p: number): number {
  let lo = 0, hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first number, in a sorted list, that is p or more (the length when none is). */
export function firstAtOrAfter(xs: ArrayLike<number>, p: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * 1 for each of the characters (the first UTF-16 unit of each), by character code: a set
 * tested at every position of a text with one load, without making a string of each
 * character or hashing its code.
 */
export function charTable(chars: Iterable<string>): Uint8Array {
  const table = new Uint8Array(65536);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}

export const isAsciiDigit = (c: number) => c >= 48 && c <= 57;

const STOP = charTable('。！？!?\n');
const CLOSE = charTable('”’」』"\'）)】》');
// a clause ends at one of these, or at a run of ellipses
const CLAUSE_END = charTable('，,；;：:\n●•◆■▲');
const ELLIPSIS = '…'.charCodeAt(0);
const COMMA = ','.charCodeAt(0);

export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (STOP[text.charCodeAt(i)] !== 1) continue;
    let end = i + 1;
    while (end < n && CLOSE[text.charCodeAt(end)] === 1 && text[i] !== '\n') end++;
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
  if (end - start > MAX_SENTENCE) cutLong(out, text, start, end, MAX_SENTENCE, SENTENCE_BREAK, push);
  else if (end > start) out.push({ start, end });
}

// Sentences and clauses are bounded in length. Linking a figure looks at the figures, names
// and words of its sentence and clause, so a text with no full stop (a table flattened into
// one line, a list of thousands of figures) made that work grow with the square of its length
// or worse: minutes for one document. Prose never comes near these bounds (the longest
// sentence in the benchmark's 192,857 is 670 characters, the longest clause 125).
const MAX_SENTENCE = 1000;
const MAX_CLAUSE = 300;
// where a piece of a too-long sentence or clause is best cut: after a clause break, an
// enumeration comma or a space; failing those, anywhere but inside a run of digits and letters
const SENTENCE_BREAK = charTable('，,；;：:、 \t\u3000');
const CLAUSE_BREAK = charTable('、 \t\u3000');
const ALNUM = charTable('0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');

/** [start, end) in pieces of at most `max`, each cut as late as it can be after a break character. */
function cutLong(out: Span[], text: string, start: number, end: number, max: number, breaks: Uint8Array, emit: (out: Span[], text: string, start: number, end: number) => void) {
  while (end - start > max) {
    const limit = start + max;
    let cut = -1;
    for (let i = limit - 1; i > start + (max >> 1) && cut < 0; i--) if (breaks[text.charCodeAt(i)] === 1) cut = i + 1;
    for (let i = limit; i > start + (max >> 1) && cut < 0; i--) if (ALNUM[text.charCodeAt(i - 1)] !== 1 || ALNUM[text.charCodeAt(i)] !== 1) cut = i;
    if (cut < 0) cut = limit;
    emit(out, text, start, cut);
    start = cut;
  }
  emit(out, text, start, end);
}

/** Clause boundaries inside [start, end): returns clause spans. */
export function splitClauses(text: string, span: Span): Span[] {
  const out: Span[] = [];
  const stop = span.end;
  let last = span.start;
  for (let i = span.start; i < stop; i++) {
    const c = text.charCodeAt(i);
    let end = i + 1;
    if (c === ELLIPSIS) {
      while (end < stop && text.charCodeAt(end) === ELLIPSIS) end++;
    } else if (CLAUSE_END[c] !== 1) {
      continue;
    } else if (c === COMMA && i > span.start && isAsciiDigit(text.charCodeAt(i - 1)) && thousands(text, i + 1, stop)) {
      continue; // a comma between digits is a thousands separator, not a clause break
    }
    if (i > last) pushClause(out, text, last, i);
    last = end;
    i = end - 1;
  }
  if (last < stop) pushClause(out, text, last, stop);
  return out;
}

function pushClause(out: Span[], text: string, start: number, end: number) {
  if (end - start > MAX_CLAUSE) cutLong(out, text, start, end, MAX_CLAUSE, CLAUSE_BREAK, (o, _t, s, e) => o.push({ start: s, end: e }));
  else out.push({ start, end });
}

/** Three digits at p, and no fourth, before stop: the group after a thousands comma. */
function thousands(text: string, p: number, stop: number): boolean {
  if (p + 3 > stop) return false;
  for (let k = p; k < p + 3; k++) if (!isAsciiDigit(text.charCodeAt(k))) return false;
  return p + 3 >= stop || !isAsciiDigit(text.charCodeAt(p + 3));
}
