// Cleaning: make the text regular enough for the number and linking rules
// while remembering, through one OffsetMap, where every character came from.
//
// What it does, and why:
// - drops Markdown emphasis `**` (feeds write figures as **25172**家);
// - folds full-width ASCII (０-９, ％, ，, （…）) to ASCII so rules see one form;
// - drops spaces inside Chinese text (`1379 项`, PDF artefacts like `凤栖 湖畔`),
//   keeping one space only between two ASCII words or digits;
// - joins lines that PDF extraction broke inside a sentence (`52.76亿\n\n元`,
//   `总\n\n量`), and keeps a line break where a new paragraph or a heading starts.

import { CleanTextBuilder, OffsetMap } from './offsets.js';

export interface CleanText {
  original: string;
  text: string;
  map: OffsetMap;
}

/**
 * Answers, for each pair, whether left+right hold one word across their boundary
 * (jieba does this in the pipeline). Asked once per document, for every line
 * break that needs it: one segmentation call instead of one per break.
 */
export type WordJoinTest = (pairs: [string, string][]) => boolean[];

const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '；', ';', '…', '：', ':']);
const CLOSERS = new Set(['”', '’', '」', '』', '"', "'", ')', '）', '】', '》']);
// a line cannot start with these: the break is inside a sentence
const NON_INITIAL = new Set(['，', ',', '、', '。', '；', ';', '：', ':', '）', ')', '」', '』', '%', '％', '”']);
const NUMBER_TAIL = /[0-9０-９.〇零一二两三四五六七八九十百千万亿余多第—–~～至到-]/;

// Each set of characters defined once, by character code; the string forms test one character.
/** Space, tab, CR, LF, FF, VT, ideographic and no-break space. */
const spaceCode = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0x3000 || c === 0xa0;
/** The zero-width marks: zero-width space, non-joiner and joiner, byte-order mark. */
const invisibleCode = (c: number) => (c >= 0x200b && c <= 0x200d) || c === 0xfeff;
/** Blanks as the cleaning loop runs them together: spaces and zero-width marks. */
const blankCode = (c: number) => spaceCode(c) || invisibleCode(c);
/** Full-width ASCII forms (！ to ～), which fold to ASCII. */
const foldsCode = (c: number) => c >= 0xff01 && c <= 0xff5e;
const isSpace = (c: string) => spaceCode(c.charCodeAt(0));
const isInvisible = (c: string) => invisibleCode(c.charCodeAt(0));
const isAsciiWord = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** Full-width ASCII forms to ASCII. */
export function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (foldsCode(code)) return String.fromCharCode(code - 0xfee0);
  return c;
}

interface Line {
  start: number;
  end: number; // exclusive, before '\n'
  weight: number; // non-space characters
  indented: boolean;
}

const ASTERISK = 42;
const FULL_WIDTH_COMMA = 0xff0c;

function splitLines(s: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    let end = s.indexOf('\n', start);
    if (end < 0) end = s.length;
    let weight = 0;
    for (let k = start; k < end; k++) if (!blankCode(s.charCodeAt(k))) weight++;
    const first = s[start];
    lines.push({ start, end, weight, indented: first !== undefined && (first === ' ' || first === '\u3000' || first === '\t') && weight > 0 });
    if (end >= s.length) break;
    start = end + 1;
  }
  return lines;
}

/** Index of the line containing position p. */
function lineAt(lines: Line[], p: number): number {
  let lo = 0, hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= p) lo = mid; else hi = mid - 1;
  }
  return lo;
}

function prevNonEmpty(lines: Line[], k: number): Line | undefined {
  for (let i = k - 1; i >= 0; i--) if (lines[i].weight > 0) return lines[i];
  return undefined;
}

function lastVisible(s: string, line: Line): string {
  for (let k = line.end - 1; k >= line.start; k--) if (!isSpace(s[k])) return foldChar(s[k]);
  return '';
}

/**
 * Decide whether a line break (possibly with blank lines) sits inside a sentence.
 * Returns the decision, or the two sides to ask about a word across the break:
 * the lines join if there is one.
 */
function breakJoins(s: string, lines: Line[], runStart: number, runEnd: number): boolean | { ask: [string, string] } {
  const pi = lineAt(lines, runStart);
  const ni = lineAt(lines, Math.min(runEnd, s.length - 1));
  const prev = lines[pi];
  const next = lines[ni];
  if (!prev || !next || next.weight === 0 || prev.weight === 0) return false;
  const left = lastVisible(s, prev);
  const right = foldChar(s[runEnd] ?? '');
  if (SENTENCE_END.has(left)) return false;
  if (CLOSERS.has(left)) {
    // a closing quote after a full stop ends the sentence
    let k = prev.end - 1;
    while (k >= prev.start && isSpace(s[k])) k--;
    while (k >= prev.start && CLOSERS.has(foldChar(s[k]))) k--;
    if (k >= prev.start && SENTENCE_END.has(foldChar(s[k]))) return false;
  }
  if (next.indented) return false;
  if (NUMBER_TAIL.test(left)) return true;
  if (NON_INITIAL.has(right)) return true;
  if (figureAfterFragment(s, prev, next, left)) return true;
  // a line much shorter than its neighbours is a heading, not a wrapped line — unless a word runs across the break
  const before = prevNonEmpty(lines, pi);
  const neighbour = Math.max(before?.weight ?? 0, next.weight);
  if (prev.weight >= 0.6 * neighbour) return true;
  // a short line stays apart unless a word runs across the break: only then is jieba asked
  const l = visibleTail(s, prev, 3);
  const r = visibleHead(s, next, 3);
  return l && r ? { ask: [l, r] } : false;
}

// 粮食总产量 | 48.6万吨: the next line opens with a figure (not a list marker such as 1.)
const FIGURE_START = /^[0-9][0-9.,]*(?:[万亿千百%]|\p{Script=Han})/u;
const LIST_MARKER = /^[0-9]{1,2}[、.](?![0-9])/;
const CLAUSE_MARK = /[，,、；;]/;
// the numbering of a heading (二、 1、 （三）) is no comma of a sentence
const HEADING_MARKER = /^(?:[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[、.．]|[（(][一二三四五六七八九十0-9]{1,3}[)）])/u;

/**
 * A line that is part of a sentence (it holds a comma) and stops on a word, before a line
 * that opens with a figure: PDF extraction broke the sentence between a metric and its value.
 * Headings hold no commas, so they stay apart from the figures under them.
 */
function figureAfterFragment(s: string, prev: Line, next: Line, left: string): boolean {
  if (!/\p{Script=Han}/u.test(left)) return false;
  const head = visibleHead(s, next, 12);
  if (!FIGURE_START.test(head) || LIST_MARKER.test(head)) return false;
  // the line before is copied only now: most lines do not open with a figure
  const line = s.slice(prev.start, prev.end).trim().replace(HEADING_MARKER, '');
  return CLAUSE_MARK.test(line);
}

/** Every whitespace run holding a line break, with what to do about it: join the lines or keep the break. */
function lineBreakDecisions(s: string, joinsWord?: WordJoinTest): Map<number, boolean> {
  const out = new Map<number, boolean>();
  if (s.indexOf('\n') < 0) return out;
  const lines = splitLines(s);
  const pending: { at: number; pair: [string, string] }[] = [];
  const n = s.length;
  // the same runs the cleaning loop sees, blanks and zero-width marks together: each line
  // break widened to its run (found from the breaks, not by matching every run of blanks)
  for (let from = 0; ; ) {
    const nl = s.indexOf('\n', from);
    if (nl < 0) break;
    let i = nl;
    while (i > 0 && blankCode(s.charCodeAt(i - 1))) i--;
    let j = nl + 1;
    while (j < n && blankCode(s.charCodeAt(j))) j++;
    from = j;
    if (j >= n) continue;
    const d = breakJoins(s, lines, i, j);
    if (typeof d === 'boolean') out.set(i, d);
    else if (joinsWord) pending.push({ at: i, pair: d.ask });
    else out.set(i, false);
  }
  if (pending.length) {
    const answers = joinsWord!(pending.map((p) => p.pair));
    pending.forEach((p, k) => out.set(p.at, answers[k]));
  }
  return out;
}

// The last (first) n characters of a line that are not spaces, folded. Most lines hold no
// space or full-width character there: one slice, not a string a character at a time.
function visibleTail(s: string, line: Line, n: number): string {
  const from = Math.max(line.start, line.end - n);
  if (plainBetween(s, from, line.end)) return s.slice(from, line.end);
  let out = '';
  for (let k = line.end - 1; k >= line.start && out.length < n; k--) if (!isSpace(s[k])) out = foldChar(s[k]) + out;
  return out;
}

function visibleHead(s: string, line: Line, n: number): string {
  const to = Math.min(line.end, line.start + n);
  if (plainBetween(s, line.start, to)) return s.slice(line.start, to);
  let out = '';
  for (let k = line.start; k < line.end && out.length < n; k++) if (!isSpace(s[k])) out += foldChar(s[k]);
  return out;
}

/** No character of s[from, to) is a space (isSpace) or folds to another (foldChar). */
function plainBetween(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (spaceCode(c) || foldsCode(c)) return false;
  }
  return true;
}

export function cleanText(original: string, joinsWord?: WordJoinTest): CleanText {
  const b = new CleanTextBuilder(original.length);
  const s = original;
  const n = s.length;
  const joins = lineBreakDecisions(s, joinsWord);
  let i = 0;
  while (i < n) {
    const c = s[i];
    if (isInvisible(c)) {
      i++;
      continue;
    }
    if (c === '*' && s[i + 1] === '*') {
      i += 2;
      continue;
    }
    if (isSpace(c)) {
      let j = i;
      let newlines = 0;
      while (j < n && (isSpace(s[j]) || isInvisible(s[j]))) {
        if (s[j] === '\n') newlines++;
        j++;
      }
      const left = b.lastChar();
      const right = j < n ? foldChar(s[j]) : '';
      if (b.length === 0 || j >= n) {
        i = j; // leading and trailing whitespace carries nothing
        continue;
      }
      if (newlines > 0) {
        if (joins.get(i)) {
          if (isAsciiWord(left) && isAsciiWord(right)) b.emit(' ', i, j);
        } else {
          const nl = s.indexOf('\n', i);
          b.emit('\n', nl, nl + 1);
        }
      } else if ((isAsciiWord(left) || left === ',') && isAsciiWord(right)) {
        b.emit(' ', i, j);
      } else if (isAsciiWord(left) && /[A-Za-z%]/.test(right)) {
        b.emit(' ', i, j);
      }
      i = j;
      continue;
    }
    // a full-width comma is a thousands separator only between full-width digits (４，５６５);
    // elsewhere it stays the clause comma it is (投资20，300家企业 are two figures)
    const f = c === '，' && !(/[０-９]/.test(s[i - 1] ?? '') && /[０-９]/.test(s[i + 1] ?? '')) ? c : foldChar(c);
    if (f !== c) b.emit(f, i, i + 1);
    else {
      // copy a run of ordinary characters at once, by character code: s[j] made a string of
      // every Chinese character (three quarters of what cleaning allocated)
      let j = i + 1;
      while (j < n) {
        const code = s.charCodeAt(j);
        if (blankCode(code) || (code === ASTERISK && s.charCodeAt(j + 1) === ASTERISK)) break;
        if (foldsCode(code) && code !== FULL_WIDTH_COMMA) break;
        j++;
      }
      b.copy(s, i, j);
      i = j;
      continue;
    }
    i++;
  }
  const { text, map } = b.build(original);
  return { original, text, map };
}
