// Turns validated rule data into the lookup tables the engine runs on:
// character maps, tries of words, compiled regular expressions. Built once per
// process (and once per worker thread), then only read.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleData } from './schema.js';

/** The rules/ folder shipped with the package (next to dist/ and src/). */
export function defaultRulesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', 'rules');
}

export type Qualifier = 'exact' | 'approx' | 'over' | 'under';
export type Kind = 'amount' | 'change' | 'share' | 'rank';
export type UnitClass = RuleData['units']['units'][number]['class'];

export interface UnitEntry {
  id: string;
  form: string;
  unit: string;
  cls: UnitClass;
  arabicOnly: boolean;
  notFollowedBy: RegExp | null;
  scale: number | null;
  compound: boolean;
}

type Entry<T> = { word: string; value: T };
// what a look-up that finds nothing returns: no array made per position of the text
const NO_ENTRIES: readonly Entry<never>[] = Object.freeze([]);

/**
 * Pairs of characters (by code) as hashed bits: a clear bit says no word holds the pair, a set
 * one only that some word may (pairs share bits), so a caller still checks its word lists.
 * A code past either end of a text (NaN) hashes like 0, which only costs that check.
 */
export class PairFilter {
  private readonly bits: Int32Array;
  private readonly shift: number;

  /** 2^log2Bits bits: a few hundred words in 2^14, ten thousand in 2^20, leave most clear */
  constructor(log2Bits: number) {
    this.bits = new Int32Array(Math.max(1, (1 << log2Bits) >> 5));
    this.shift = 32 - log2Bits;
  }

  // Fibonacci hashing of the two codes down to log2Bits bits
  private bit(a: number, b: number): number {
    return Math.imul((a << 16) | b, 0x9e3779b1) >>> this.shift;
  }

  add(a: number, b: number): void {
    const k = this.bit(a, b);
    this.bits[k >> 5] |= 1 << (k & 31);
  }

  mayHold(a: number, b: number): boolean {
    const k = this.bit(a, b);
    return (this.bits[k >> 5] & (1 << (k & 31))) !== 0;
  }
}

/** Words keyed by their text, tried longest first. Look-ups return arrays the caller must not change. */
export class WordTable<T> {
  // keyed by character code: a one-character string of a CJK character is a new string to hash at every look-up
  private byFirst = new Map<number, Entry<T>[]>();
  private byLast = new Map<number, Entry<T>[]>();
  // 1 where a word starts (ends) with the character: most places are rejected by one load,
  // which costs a tenth of a look-up in the maps
  private firsts = new Uint8Array(65536);
  private lasts = new Uint8Array(65536);
  // words of one character, by code; and a bit for the first (last) two characters of every
  // longer word, hashed: where a common character opens some word (中, 国, 大), the one after
  // it rejects most places before the list is walked
  private singles = new Uint8Array(65536);
  private headPairs = new PairFilter(14);
  private tailPairs = new PairFilter(14);

  add(word: string, value: T) {
    this.firsts[word.charCodeAt(0)] = 1;
    this.lasts[word.charCodeAt(word.length - 1)] = 1;
    if (word.length === 1) this.singles[word.charCodeAt(0)] = 1;
    else if (word.length > 1) {
      this.headPairs.add(word.charCodeAt(0), word.charCodeAt(1));
      this.tailPairs.add(word.charCodeAt(word.length - 2), word.charCodeAt(word.length - 1));
    }
    for (const [map, key] of [
      [this.byFirst, word.charCodeAt(0)],
      [this.byLast, word.charCodeAt(word.length - 1)],
    ] as const) {
      const list = map.get(key) ?? [];
      list.push({ word, value });
      list.sort((a, b) => b.word.length - a.word.length);
      map.set(key, list);
    }
  }

  /** Every entry whose word starts at position i, longest first. */
  startingAt(text: string, i: number): readonly Entry<T>[] {
    // the ends are tested, not left to charCodeAt's NaN: optimized code reading past a
    // string's end, or hashing NaN, is thrown away and compiled again
    if (i < 0 || i >= text.length) return NO_ENTRIES;
    const code = text.charCodeAt(i);
    if (this.firsts[code] !== 1) return NO_ENTRIES;
    // without a one-character word here, a word needs the next character too
    if (this.singles[code] !== 1 && (i + 1 === text.length || !this.headPairs.mayHold(code, text.charCodeAt(i + 1)))) return NO_ENTRIES;
    const list = this.byFirst.get(code);
    if (list === undefined) return NO_ENTRIES;
    let out: Entry<T>[] | null = null;
    for (const e of list) if (text.startsWith(e.word, i)) (out ??= []).push(e);
    return out ?? NO_ENTRIES;
  }

  /** Whether some word lies whole inside text[from, to): one loop over the stretch, not a look-up per position. */
  anyWithin(text: string, from: number, to: number): boolean {
    const firsts = this.firsts;
    for (let i = from; i < to; i++) {
      if (firsts[text.charCodeAt(i)] !== 1) continue;
      const found = this.startingAt(text, i);
      for (let k = 0; k < found.length; k++) if (i + found[k].word.length <= to) return true;
    }
    return false;
  }

  /** Every entry whose word ends right before position i, longest first. */
  endingAt(text: string, i: number): readonly Entry<T>[] {
    if (i < 1 || i > text.length) return NO_ENTRIES;
    const code = text.charCodeAt(i - 1);
    if (this.lasts[code] !== 1) return NO_ENTRIES;
    if (this.singles[code] !== 1 && (i === 1 || !this.tailPairs.mayHold(text.charCodeAt(i - 2), code))) return NO_ENTRIES;
    const list = this.byLast.get(code);
    if (list === undefined) return NO_ENTRIES;
    let out: Entry<T>[] | null = null;
    for (const e of list) if (i - e.word.length >= 0 && text.startsWith(e.word, i - e.word.length)) (out ??= []).push(e);
    return out ?? NO_ENTRIES;
  }
}

export interface Cue {
  id: string;
  re: RegExp;
  /** an actual cue that does not override a framing planned one before it */
  weak?: boolean;
  /** a planned cue that frames the rest of its sentence */
  frame?: boolean;
}

export interface CompiledRules {
  data: RuleData;
  dir: string;
  // numerals
  digit: Map<string, number>;
  tens: Map<string, number>;
  smallUnit: Map<string, number>;
  bigUnit: Map<string, number>;
  decimalPoint: Set<string>;
  negative: string[];
  vague: Map<string, Qualifier>;
  suffix: Map<string, number>;
  collectives: { text: string; value: number; notFollowedBy: RegExp | null }[];
  fixed: WordTable<RuleData['numerals']['fixed'][number] & { notFollowedByRe: RegExp | null }>;
  numeralChars: Set<string>;
  notNumbers: WordTable<true>;
  wordFormingDigits: Set<string>;
  loneLeftOk: Set<string>;
  loneRightOk: Set<string>;
  // units
  units: WordTable<UnitEntry>;
  unitsBefore: WordTable<UnitEntry>;
  per: string[];
  // qualifiers
  qualBefore: WordTable<{ id: string; qualifier: Qualifier; notAfter: RegExp | null }>;
  qualAfter: WordTable<{ id: string; qualifier: Qualifier; notFollowedBy: RegExp | null }>;
  qualInternal: Map<string, { id: string; qualifier: Qualifier }>;
  qualBetween: string[];
  rangeJoiners: RegExp;
  // non-facts
  nonfacts: { id: string; re: RegExp; spareUnits: boolean; unitlessOnly: boolean }[];
  // time
  timeMarkers: WordTable<RuleData['time']['markers'][number] & { notAfterRe: RegExp | null; notFollowedByRe: RegExp | null }>;
  timePrefixes: WordTable<{ id: string; part: string }>;
  relativeYears: WordTable<{ id: string; offset: number }>;
  nonGoverningAfter: RegExp[];
  nonGoverningBefore: RegExp[];
  // kinds
  changeCues: WordTable<{ id: string; direction: 'up' | 'down' | null; notAfter: RegExp | null; notFollowedBy: RegExp | null }>;
  levelCues: WordTable<{ id: string; notAfter: RegExp | null; notFollowedBy: RegExp | null }>;
  shareCues: WordTable<{ id: string; notAfter: RegExp | null; notFollowedBy: RegExp | null }>;
  rankCues: WordTable<{ id: string; notAfter: RegExp | null; notFollowedBy: RegExp | null }>;
  levelMarkers: Set<string>;
  scopes: string[];
  ordinalNotRank: RegExp;
  // modality
  planned: Cue[];
  actual: Cue[];
}

/** A word as a regular expression that matches it literally (rule words hold `.`, `(`, `+`). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** a pattern tested on the text right after a word */
const reAfter = (s: string | undefined) => (s ? new RegExp(`^(?:${s})`, 'u') : null);
/** a pattern tested on the text right before a word */
const reBefore = (s: string | undefined) => (s ? new RegExp(`(?:${s})$`, 'u') : null);

export function compileRules(data: RuleData, dir = defaultRulesDir()): CompiledRules {
  const n = data.numerals;
  const charMap = (list: { chars: string; value: number }[]) => {
    const m = new Map<string, number>();
    for (const e of list) for (const c of e.chars) m.set(c, e.value);
    return m;
  };
  const digit = charMap(n.digits);
  const tens = charMap(n.tens);
  const smallUnit = charMap(n.small_units);
  const bigUnit = charMap(n.big_units);
  const vague = new Map<string, Qualifier>();
  for (const v of n.vague) for (const c of v.chars) vague.set(c, v.qualifier);
  const fixed = new WordTable<CompiledRules['fixed'] extends WordTable<infer T> ? T : never>();
  for (const f of n.fixed) fixed.add(f.text, { ...f, notFollowedByRe: reAfter(f.not_followed_by) });

  const units = new WordTable<UnitEntry>();
  const unitsBefore = new WordTable<UnitEntry>();
  for (const u of data.units.units) {
    const forms: [string, string][] = Array.isArray(u.forms) ? u.forms.map((f) => [f, f]) : Object.entries(u.forms);
    for (const [form, unit] of forms) {
      const entry: UnitEntry = {
        id: u.id,
        form,
        unit,
        cls: u.class,
        arabicOnly: u.arabic_only,
        notFollowedBy: reAfter(u.not_followed_by),
        scale: u.scale ?? null,
        compound: u.compound,
      };
      (u.position === 'before' ? unitsBefore : units).add(form, entry);
    }
  }

  const q = data.qualifiers;
  const qualBefore = new WordTable<{ id: string; qualifier: Qualifier; notAfter: RegExp | null }>();
  for (const r of q.before) for (const w of r.words) qualBefore.add(w, { id: r.id, qualifier: r.qualifier, notAfter: reBefore(r.not_after) });
  const qualAfter = new WordTable<{ id: string; qualifier: Qualifier; notFollowedBy: RegExp | null }>();
  for (const r of q.after) for (const w of r.words) qualAfter.add(w, { id: r.id, qualifier: r.qualifier, notFollowedBy: reAfter(r.not_followed_by) });
  const qualInternal = new Map<string, { id: string; qualifier: Qualifier }>();
  for (const r of q.internal) for (const w of r.words) qualInternal.set(w, { id: r.id, qualifier: r.qualifier });

  const t = data.time;
  const timeMarkers = new WordTable<CompiledRules['timeMarkers'] extends WordTable<infer T> ? T : never>();
  for (const m of t.markers) for (const w of m.words) timeMarkers.add(w, { ...m, notAfterRe: reBefore(m.not_after), notFollowedByRe: reAfter(m.not_followed_by) });
  const timePrefixes = new WordTable<{ id: string; part: string }>();
  for (const p of t.prefixes) for (const w of p.words) timePrefixes.add(w, { id: p.id, part: p.part });
  const relativeYears = new WordTable<{ id: string; offset: number }>();
  for (const r of t.relative_years) relativeYears.add(r.word, { id: r.id, offset: r.offset });

  const k = data.kinds;
  const cueTable = <T extends object>(list: ({ id: string; words: string[]; not_after?: string; not_followed_by?: string } & T)[]) => {
    const table = new WordTable<{ id: string; notAfter: RegExp | null; notFollowedBy: RegExp | null } & Omit<T, 'words'>>();
    for (const c of list) {
      const { words, not_after, not_followed_by, ...rest } = c;
      for (const w of words) table.add(w, { ...(rest as Omit<T, 'words'> & { id: string }), notAfter: reBefore(not_after), notFollowedBy: reAfter(not_followed_by) });
    }
    return table;
  };

  const numeralChars = new Set<string>([...digit.keys(), ...tens.keys(), ...smallUnit.keys(), ...bigUnit.keys()]);
  const notNumbers = new WordTable<true>();
  for (const w of n.not_numbers) notNumbers.add(w, true);

  return {
    data,
    dir,
    digit,
    tens,
    smallUnit,
    bigUnit,
    decimalPoint: new Set(n.decimal_points),
    negative: n.negative_signs,
    vague,
    suffix: new Map(n.suffixes.map((s) => [s.text, s.value])),
    collectives: n.collectives.map((c) => ({ text: c.text, value: c.value, notFollowedBy: reAfter(c.not_followed_by) })),
    fixed,
    numeralChars,
    notNumbers,
    wordFormingDigits: new Set(n.word_forming_digits),
    loneLeftOk: new Set(n.lone_digit_left_ok),
    loneRightOk: new Set(n.lone_digit_right_ok),
    units,
    unitsBefore,
    per: data.units.per,
    qualBefore,
    qualAfter,
    qualInternal,
    qualBetween: [...q.between].sort((a, b) => b.length - a.length),
    rangeJoiners: new RegExp(`^(?:${q.range_joiners.map(escapeRegExp).join('|')})?$`, 'u'),
    nonfacts: data.nonfacts.patterns.map((p) => ({ id: p.id, re: new RegExp(p.pattern, 'gum'), spareUnits: p.spare_units, unitlessOnly: p.unitless_only })),
    timeMarkers,
    timePrefixes,
    relativeYears,
    nonGoverningAfter: t.non_governing_after.map((s) => new RegExp(s, 'u')),
    nonGoverningBefore: t.non_governing_before.map((s) => new RegExp(s, 'u')),
    changeCues: cueTable(k.change),
    levelCues: cueTable(k.level),
    shareCues: cueTable(k.share),
    rankCues: cueTable(k.rank),
    levelMarkers: new Set(k.level_markers),
    scopes: [...k.scopes].sort((a, b) => b.length - a.length),
    ordinalNotRank: new RegExp(k.ordinal_not_rank_followers, 'u'),
    planned: data.modality.planned.map((p) => ({ id: p.id, re: new RegExp(p.pattern, 'gu'), frame: p.frame ?? false })),
    actual: data.modality.actual.map((p) => ({ id: p.id, re: new RegExp(p.pattern, 'gu'), weak: p.weak ?? false })),
  };
}
