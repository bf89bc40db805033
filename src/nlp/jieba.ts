// nodejieba behind a small interface: words with their offsets and
// part-of-speech tags. Loaded on first use, once per thread.
import { createRequire } from 'node:module';

export interface Token {
  word: string;
  tag: string;
  start: number;
  end: number;
}

interface Jieba {
  cut(text: string, hmm?: boolean): string[];
  tag(text: string): { word: string; tag: string }[];
  load?: (opts: Record<string, string>) => void;
}

let jieba: Jieba | null = null;

function lib(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    jieba = require('nodejieba') as Jieba;
  }
  return jieba;
}

/** Words of text with their offsets; jieba keeps every character, so offsets add up. */
export function tag(text: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (const t of lib().tag(text)) {
    let start = pos;
    if (!text.startsWith(t.word, pos)) {
      const found = text.indexOf(t.word, pos);
      if (found < 0) continue;
      start = found;
    }
    out.push({ word: t.word, tag: t.tag, start, end: start + t.word.length });
    pos = start + t.word.length;
  }
  return out;
}

export function cut(text: string): string[] {
  return lib().cut(text);
}

/** True when jieba reads left+right as containing one word across their boundary (`技` + `术`). */
export function wordSpans(left: string, right: string): boolean {
  const words = lib().cut(left + right);
  let pos = 0;
  for (const w of words) {
    const end = pos + w.length;
    if (pos < left.length && end > left.length && w.length >= 2 && /^[\p{Script=Han}]+$/u.test(w)) return true;
    pos = end;
  }
  return false;
}

/** Tokens of a text, tagged lazily and looked up by position. */
export class Lexicon {
  private tokens: Token[] | null = null;
  private ends: Int32Array | null = null;
  constructor(
    private readonly text: string,
    private readonly offset = 0,
  ) {}

  all(): Token[] {
    if (!this.tokens) {
      this.tokens = tag(this.text).map((t) => ({ ...t, start: t.start + this.offset, end: t.end + this.offset }));
      this.ends = Int32Array.from(this.tokens.map((t) => t.end));
    }
    return this.tokens;
  }

  /** The token covering absolute position p. */
  at(p: number): Token | null {
    const toks = this.all();
    const ends = this.ends!;
    let lo = 0, hi = toks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= p) lo = mid + 1;
      else hi = mid - 1;
    }
    const t = toks[lo];
    return t && t.start <= p && p < t.end ? t : null;
  }
}
