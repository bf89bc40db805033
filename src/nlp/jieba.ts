// nodejieba behind a small interface: words with their offsets and
// part-of-speech tags. Loaded on first use; with our patch (patches/nodejieba+*.patch)
// every thread of a process shares one dictionary, and words come back as lengths
// (with their tags as numbers), not as a string each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { firstAtOrAfter } from '../text/segment.js';

export interface Token {
  word: string;
  tag: string;
  start: number;
  end: number;
}

/**
 * Every token is made here, its fields always in this order: tokens of one hidden class
 * keep the code that reads them optimized (copies made by spread, with their fields in
 * another order, had it optimized again and again).
 */
export function token(word: string, tag: string, start: number, end: number): Token {
  return { word, tag, start, end };
}

interface Jieba {
  cut(text: string, hmm?: boolean): string[];
  /** patched in: cut's words as UTF-16 lengths, negative for a stretch left out */
  cutLengths?(text: string, hmm?: boolean): Int32Array;
  /** patched in: [length, tag, length, tag, …], each tag jieba's own as an index into tagNames(); [-length, -1] for a stretch left out */
  cutTagged?(text: string, hmm?: boolean): Int32Array;
  tagNames?(): string[];
  tag(text: string): { word: string; tag: string }[];
  load(opts: Record<string, string>): boolean;
}

let jieba: Jieba | null = null;
/** tag names by number, as the patched library numbers them (it adds names as it meets them) */
let tagNames: string[] = [];

/**
 * The library with its dictionary loaded: about 120 MB and a second, once per process
 * (the patch shares it between threads; unpatched, once per thread that asks).
 */
function lib(): Jieba {
  if (!jieba) {
    jieba = createRequire(import.meta.url)('nodejieba') as Jieba;
    try {
      jieba.load(minimalExtractorFiles());
    } catch {
      // a read-only temporary folder: nodejieba loads its full defaults on first use
    }
  }
  return jieba;
}

// What a thread of its own runs to load the dictionary (preloadDictionary): what lib() does,
// and nothing when the library is not patched (the dictionary would then be its own).
const PRELOAD = `
const { workerData } = require('node:worker_threads');
const jieba = require('node:module').createRequire(workerData.from)('nodejieba');
if (typeof jieba.cutTagged === 'function') jieba.load(workerData.files);
`;

/**
 * Start loading the process's dictionary now, on a thread of its own, for the threads that
 * will ask for it later: they wait for this load (the patch keeps one per process, behind a
 * lock) instead of starting theirs. For a run that knows it will extract: the load takes
 * about half a second, which then passes while the run reads its rules and starts its threads.
 */
export function preloadDictionary(): void {
  if (jieba) return;
  try {
    const worker = new Worker(PRELOAD, { eval: true, workerData: { from: import.meta.url, files: minimalExtractorFiles() } });
    worker.unref();
    worker.on('error', () => {}); // whoever asks next loads it
  } catch {
    // no thread to spare: the first thread that asks loads it
  }
}

/**
 * nodejieba's load() also builds a keyword extractor from a 6 MB IDF table
 * and stop-word list, which we never use; one-line files in their place save
 * about 20 MB. Segmentation and tags come from the dictionary alone.
 */
function minimalExtractorFiles(): { idfDict: string; stopWordDict: string } {
  const dir = path.join(os.tmpdir(), 'cnfacts-jieba');
  const idfDict = path.join(dir, 'idf-unused.utf8');
  const stopWordDict = path.join(dir, 'stop-words-unused.utf8');
  if (!fs.existsSync(idfDict) || !fs.existsSync(stopWordDict)) {
    fs.mkdirSync(dir, { recursive: true });
    // written under a unique name, then renamed: threads starting together never read half a file
    for (const [file, body] of [[idfDict, '的 1.0\n'], [stopWordDict, '的\n']]) {
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      fs.writeFileSync(tmp, body);
      fs.renameSync(tmp, file);
    }
  }
  return { idfDict, stopWordDict };
}

/**
 * How jieba cuts text, as the lengths of its words in UTF-16 units, in order. They
 * cover the text: a stretch jieba leaves out (it keeps every character, but this
 * does not rely on it) comes as a negative length, to be skipped. The patched
 * library answers with the lengths alone, about twice as fast as cut(), which
 * makes a string of every word.
 */
export function cutLengths(text: string): Int32Array {
  const j = lib();
  if (j.cutLengths) return j.cutLengths(text, true);
  const words = j.cut(text, true);
  const out: number[] = [];
  let pos = 0;
  for (const w of words) {
    if (!text.startsWith(w, pos)) {
      const found = text.indexOf(w, pos);
      if (found < 0) continue;
      out.push(pos - found);
      pos = found;
    }
    out.push(w.length);
    pos += w.length;
  }
  if (pos < text.length) out.push(pos - text.length);
  return Int32Array.from(out);
}

// Words of one or two characters, made once per thread: most of a document's words are
// this short, and its tokens live through its whole extraction, so a new string for each
// was copied by the young-generation collector and then promoted. Over 1,000 documents the
// tokens were 72% of what extraction promoted: 82 MB, 62 MB with these words shared.
const ONE_CHAR: (string | undefined)[] = new Array(65536);
const TWO_CHARS = new Map<number, string>();
// two-character words met (HMM makes new ones from any pair of characters): started over past this
const MAX_TWO_CHARS = 200_000;

function shortWord(text: string, pos: number, n: number): string {
  const a = text.charCodeAt(pos);
  if (n === 1) return (ONE_CHAR[a] ??= text.slice(pos, pos + 1));
  const key = (a << 16) | text.charCodeAt(pos + 1); // an int32: a small integer key, not a boxed one
  let w = TWO_CHARS.get(key);
  if (w === undefined) {
    if (TWO_CHARS.size >= MAX_TWO_CHARS) TWO_CHARS.clear();
    TWO_CHARS.set(key, (w = text.slice(pos, pos + 2)));
  }
  return w;
}

/**
 * Words of text with their tags and offsets, shifted by `shift`. Line breaks, which
 * jieba never joins to a word, are left out. The tags are jieba.tag's: the patched
 * library looks each word up in the dictionary as jieba's tagger does, while cutting.
 */
function tokens(text: string, shift = 0): Token[] {
  const out: Token[] = [];
  const j = lib();
  if (!j.cutTagged || !j.tagNames) {
    // unpatched: jieba's own tagger, a string for every word and tag
    let pos = 0;
    for (const t of j.tag(text)) {
      const start = text.startsWith(t.word, pos) ? pos : text.indexOf(t.word, pos);
      if (start < 0) continue;
      pos = start + t.word.length;
      if (t.word !== '\n') out.push(token(t.word, t.tag, start + shift, pos + shift));
    }
    return out;
  }
  const pairs = j.cutTagged(text, true);
  let pos = 0;
  for (let k = 0; k < pairs.length; k += 2) {
    const n = pairs[k];
    if (n < 0) {
      pos -= n;
      continue;
    }
    const end = pos + n;
    if (n !== 1 || text.charCodeAt(pos) !== 10) {
      const t = pairs[k + 1];
      if (t >= tagNames.length) tagNames = j.tagNames();
      out.push(token(n <= 2 ? shortWord(text, pos, n) : text.slice(pos, end), tagNames[t], pos + shift, end + shift));
    }
    pos = end;
  }
  return out;
}

export function tag(text: string): Token[] {
  return tokens(text);
}

export function cut(text: string): string[] {
  const lens = cutLengths(text);
  const out: string[] = [];
  let pos = 0;
  for (const n of lens) {
    if (n > 0) out.push(text.slice(pos, pos + n));
    pos += Math.abs(n);
  }
  return out;
}

/**
 * For each pair, whether jieba reads left+right as holding one word across their
 * boundary (`技` + `术`). All pairs go to jieba in one call, a line each: jieba
 * never joins across a line break, so each is cut as it would be alone.
 */
export function wordSpans(pairs: [string, string][]): boolean[] {
  if (!pairs.length) return [];
  let joined = pairs[0][0] + pairs[0][1];
  for (let i = 1; i < pairs.length; i++) joined += '\n' + pairs[i][0] + pairs[i][1];
  const words = cut(joined);
  const out: boolean[] = [];
  for (let i = 0; i < pairs.length; i++) out.push(false);
  let k = 0;
  let pos = 0;
  for (const w of words) {
    if (w === '\n') {
      k++;
      pos = 0;
      continue;
    }
    const boundary = pairs[k][0].length;
    const end = pos + w.length;
    if (pos < boundary && end > boundary && w.length >= 2 && /^[\p{Script=Han}]+$/u.test(w)) out[k] = true;
    pos = end;
  }
  return out;
}

/**
 * Tag many pieces of one text in a single jieba call: the pieces are joined
 * with line breaks, which jieba never joins across, so each piece is cut
 * exactly as it would be alone — at a fraction of the cost of one call each.
 */
export function tagPieces(text: string, pieces: { start: number; end: number }[]): Token[][] {
  if (!pieces.length) return [];
  // lists here are pushed, not map()ped: see decisions in extract/document.ts
  const parts: string[] = [];
  for (const p of pieces) parts.push(text.slice(p.start, p.end));
  const joined = parts.join('\n');
  const out: Token[][] = [];
  for (let i = 0; i < pieces.length; i++) out.push([]);
  let k = 0;
  let base = 0; // offset of piece k in the joined string
  for (const t of tokens(joined)) {
    while (k < pieces.length - 1 && t.start >= base + (pieces[k].end - pieces[k].start)) {
      base += pieces[k].end - pieces[k].start + 1;
      k++;
    }
    const shift = pieces[k].start - base;
    t.start += shift;
    t.end += shift;
    out[k].push(t);
  }
  return out;
}

/** Tokens of a text, tagged lazily (or given) and looked up by position. */
export class Lexicon {
  private tokens: Token[] | null = null;
  private ends: Int32Array | null = null;
  constructor(
    private readonly text: string,
    private readonly offset = 0,
    tokens?: Token[],
  ) {
    if (tokens) {
      this.tokens = tokens;
      this.ends = Int32Array.from(tokens.map((t) => t.end));
    }
  }

  all(): Token[] {
    if (!this.tokens) {
      this.tokens = tokens(this.text, this.offset);
      this.ends = Int32Array.from(this.tokens.map((t) => t.end));
    }
    return this.tokens;
  }

  /** How many tokens end at or before absolute position p (they come first: tokens are in order). */
  endingBy(p: number): number {
    this.all();
    return firstAtOrAfter(this.ends!, p + 1); // positions are whole numbers
  }

  /** The token covering absolute position p: the first that ends after it. */
  at(p: number): Token | null {
    const t = this.all()[this.endingBy(p)];
    return t && t.start <= p && p < t.end ? t : null;
  }
}
