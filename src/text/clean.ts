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

/** Answers whether left+right form one dictionary word across a line break (jieba does this in the pipeline). */
export type WordJoinTest = (left: string, right: string) => boolean;

const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '；', ';', '…', '：', ':']);
const CLOSERS = new Set(['”', '’', '」', '』', '"', "'", ')', '）', '】', '》']);
// a line cannot start with these: the break is inside a sentence
const NON_INITIAL = new Set(['，', ',', '、', '。', '；', ';', '：', ':', '）', ')', '」', '』', '%', '％', '”']);
const NUMBER_TAIL = /[0-9０-９.〇零一二两三四五六七八九十百千万亿余多第—–~～至到-]/;

const isSpace = (c: string) =>
  c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\u3000' || c === '\u00a0' || c === '\f' || c === '\v';
const isInvisible = (c: string) => c === '\u200b' || c === '\u200c' || c === '\u200d' || c === '\ufeff';
const isAsciiWord = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** Full-width ASCII forms to ASCII. */
export function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  return c;
}

interface Line {
  start: number;
  end: number; // exclusive, before '\n'
  weight: number; // non-space characters
  indented: boolean;
}

function splitLines(s: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    let end = s.indexOf('\n', start);
    if (end < 0) end = s.length;
    let weight = 0;
    for (let k = start; k < end; k++) {
      const c = s[k];
      if (!isSpace(c) && !isInvisible(c)) weight++;
    }
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

/** Decide whether a line break (possibly with blank lines) sits inside a sentence. */
function breakJoins(s: string, lines: Line[], runStart: number, runEnd: number, joinsWord?: WordJoinTest): boolean {
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
  if (joinsWord) {
    const l = visibleTail(s, prev, 3);
    const r = visibleHead(s, next, 3);
    if (l && r && joinsWord(l, r)) return true;
  }
  // a line much shorter than its neighbours is a heading, not a wrapped line
  const before = prevNonEmpty(lines, pi);
  const neighbour = Math.max(before?.weight ?? 0, next.weight);
  if (prev.weight < 0.6 * neighbour) return false;
  return true;
}

function visibleTail(s: string, line: Line, n: number): string {
  let out = '';
  for (let k = line.end - 1; k >= line.start && out.length < n; k--) if (!isSpace(s[k])) out = foldChar(s[k]) + out;
  return out;
}

function visibleHead(s: string, line: Line, n: number): string {
  let out = '';
  for (let k = line.start; k < line.end && out.length < n; k++) if (!isSpace(s[k])) out += foldChar(s[k]);
  return out;
}

export function cleanText(original: string, joinsWord?: WordJoinTest): CleanText {
  const b = new CleanTextBuilder();
  const s = original;
  const n = s.length;
  let lines: Line[] | null = null;
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
        lines ??= splitLines(s);
        if (breakJoins(s, lines, i, j, joinsWord)) {
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
      // copy a run of ordinary characters at once
      let j = i + 1;
      while (j < n) {
        const d = s[j];
        if (isSpace(d) || isInvisible(d) || (d === '*' && s[j + 1] === '*')) break;
        const code = d.charCodeAt(0);
        if (code >= 0xff01 && code <= 0xff5e && d !== '，') break;
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
