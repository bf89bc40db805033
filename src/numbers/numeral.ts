// Reads one numeral — Arabic, Chinese or mixed (`1.2万`, `7万5千4百`,
// `四亿五千六百四十二万零一十五`) — into its value. The character tables come
// from rules/numerals.yaml; this file holds only the arithmetic of the
// Chinese place-value system.
import type { CompiledRules, Qualifier } from '../rules/compile.js';
import { charTable, isAsciiDigit } from '../text/segment.js';

type Tok =
  | { t: 'd'; v: number; arabic: boolean; multi: boolean; end: number }
  | { t: 'z'; end: number }
  | { t: 's'; v: number; end: number }
  | { t: 'b'; v: number; end: number }
  | { t: 'v'; q: Qualifier; end: number };

export interface Numeral {
  start: number;
  end: number;
  value: number | null;
  min: number | null;
  max: number | null;
  /** written with Chinese characters only */
  chinese: boolean;
  /** contains a magnitude (万, 亿, 千…) */
  magnitude: boolean;
  /** largest magnitude it contains, for ranges that share one (`10-25万`) */
  topUnit: number;
  /** vague marker inside the numeral (`十多万`) */
  qualifier: Qualifier | null;
  /** Arabic digits only, no magnitude: `2023`, `15.8` */
  plainArabic: boolean;
  /** digits of an integer written digit by digit (`2023`, `二〇二三`), else 0 */
  integerDigits: number;
  /** the numeral is a single Chinese digit character (一, 两, 五) */
  singleChinese: boolean;
}

const ARABIC = /^(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?/;
const LEADING_DOT = /^\.\d+/;
const EXPONENT = /^[eE][+-]?\d+(?![A-Za-z])/;
const POWER = /^\^([+-]*)(\d+(?:\.\d+)?)/;

const isAsciiLetter = (c: string | undefined) => !!c && /[A-Za-z]/.test(c);
// after a run of digits, what only readArabic reads: a thousands comma, a decimal point,
// an exponent (2e5) or a power (2^5)
/** Digits read by character code at most: a longer run goes the general way (readArabic). */
const PLAIN_RUN_MAX = 36;
const PLAIN_RUN_STOPS = new Set([',', '.', 'e', 'E', '^'].map((c) => c.charCodeAt(0)));

/** Arabic digits at j, with thousands commas, a decimal part, an exponent (2e5) or a power (2^5). */
function readArabic(text: string, j: number): { v: number; end: number; multi: boolean } | null {
  const m = ARABIC.exec(text.slice(j, j + 40));
  if (!m) return null;
  let v = Number(m[0].replace(/,/g, ''));
  let end = j + m[0].length;
  const multi = m[0].replace(/[,.]/g, '').length > 1 || m[0].includes('.');
  // scientific forms from other recognizers' test sets: 2e5, 2^5
  const rest = text.slice(end, end + 12);
  const e = EXPONENT.exec(rest);
  if (e) {
    v = v * Math.pow(10, Number(e[0].slice(1)));
    end += e[0].length;
  } else {
    const p = POWER.exec(rest);
    if (p) {
      const negative = (p[1].match(/-/g)?.length ?? 0) % 2 === 1;
      v = Math.pow(v, negative ? -Number(p[2]) : Number(p[2]));
      end += p[0].length;
    }
  }
  return { v, end, multi };
}

const numeralCodeCache = new WeakMap<CompiledRules, Uint8Array>();

/** 1 for every character tokenize() can read: digits, the decimal points, the characters of the rules' tables. */
function numeralCodes(R: CompiledRules): Uint8Array {
  let t = numeralCodeCache.get(R);
  // (a key of two units marks its first: a character the table lets through only goes the long way)
  if (!t) numeralCodeCache.set(R, (t = charTable([...'0123456789.', ...R.numeralChars, ...R.vague.keys(), ...R.decimalPoint])));
  return t;
}

/**
 * The most tokens one numeral is read from. The longest a person writes is about twenty
 * (一千二百三十四亿五千六百七十八万九千八百七十六: 23); reading is quadratic in the
 * length of the run (the longest valid numeral is looked for from the whole run down), so a
 * long run of numeral characters (a table of Chinese digits, a garbled file) cost seconds
 * for every few hundred characters before this bound.
 */
const MAX_TOKENS = 48;

/** Tokenise a numeral at position i. Returns tokens with the end offset of each. */
function tokenize(text: string, i: number, R: CompiledRules): { toks: Tok[]; fracAdd: number; fracEnd: number; scale: number } {
  const toks: Tok[] = [];
  let j = i;
  let fracAdd = 0;
  let fracEnd = -1;
  let scale = 1;
  const n = text.length;
  const reads = numeralCodes(R);
  while (j < n && toks.length < MAX_TOKENS) {
    // the character that ends the numeral is rejected here, not by six look-ups of a new string
    if (reads[text.charCodeAt(j)] === 0) break;
    const c = text[j];
    const prev = toks[toks.length - 1];
    if (c >= '0' && c <= '9') {
      if (prev && prev.t === 'd') break; // two numbers in a row
      let v: number, end: number, multi: boolean;
      // (looked at no further than the plain reading goes: a run of a million digits is read 40 at a time)
      let k = j + 1;
      while (k < n && k - j < PLAIN_RUN_MAX && isAsciiDigit(text.charCodeAt(k))) k++;
      if (k - j < PLAIN_RUN_MAX && (k === n || !PLAIN_RUN_STOPS.has(text.charCodeAt(k)))) {
        // most figures are a plain run of digits: read by character code, without the slices
        // and matches of the general reading (which gives the same value, end and flags for it)
        v = Number(text.slice(j, k));
        end = k;
        multi = k - j > 1;
      } else {
        const read = readArabic(text, j);
        if (!read) break;
        ({ v, end, multi } = read);
      }
      toks.push({ t: 'd', v, arabic: true, multi, end });
      j = end;
      // Latin multipliers only right after Arabic digits: 40k, 1.2M (not 5G, not km)
      const suffix = R.suffix.get(text[j]);
      if (suffix && !isAsciiLetter(text[j + 1])) {
        toks.push({ t: 'b', v: suffix, end: j + 1 });
        j++;
      }
      continue;
    }
    if (c === '.' && !prev && LEADING_DOT.test(text.slice(j, j + 20))) {
      const m = LEADING_DOT.exec(text.slice(j, j + 40))!;
      toks.push({ t: 'd', v: Number(m[0]), arabic: true, multi: true, end: j + m[0].length });
      j += m[0].length;
      continue;
    }
    const d = R.digit.get(c);
    if (d !== undefined) {
      if (d === 0) {
        // 零 is a place marker (一百零五) unless digits are read one by one (二〇二三)
        const positional = toks.length > 0 && toks.every((t) => t.t === 'd' && !t.arabic && !t.multi);
        toks.push(positional ? { t: 'd', v: 0, arabic: false, multi: false, end: j + 1 } : { t: 'z', end: j + 1 });
        j++;
        continue;
      }
      // a trailing 两 after a multiplier is the unit liang (三十两), not a digit
      if ((c === '两' || c === '兩') && prev && (prev.t === 's' || prev.t === 'b') && !isNumeralChar(text[j + 1], R)) break;
      toks.push({ t: 'd', v: d, arabic: false, multi: false, end: j + 1 });
      j++;
      continue;
    }
    const tens = R.tens.get(c);
    if (tens !== undefined) {
      if (prev && prev.t === 'd') break;
      toks.push({ t: 'd', v: tens / 10, arabic: false, multi: false, end: j + 1 }, { t: 's', v: 10, end: j + 1 });
      j++;
      continue;
    }
    const small = R.smallUnit.get(c);
    const big = R.bigUnit.get(c);
    if (small !== undefined || big !== undefined) {
      // 千米, 千克, 兆瓦: a unit that starts with a magnitude character ends the numeral
      if (toks.length && R.units.startingAt(text, j).some((u) => u.word.length >= 2)) break;
      if (small !== undefined) toks.push({ t: 's', v: small, end: j + 1 });
      else toks.push({ t: 'b', v: big!, end: j + 1 });
      j++;
      continue;
    }
    const vague = R.vague.get(c);
    if (vague && prev && (R.smallUnit.has(text[j + 1]) || R.bigUnit.has(text[j + 1]))) {
      toks.push({ t: 'v', q: vague, end: j + 1 });
      j++;
      continue;
    }
    if (R.decimalPoint.has(c) && prev && (prev.t === 'd' || prev.t === 'z' || prev.t === 's' || prev.t === 'b')) {
      // 点 is a decimal point only when digits follow, and the digits carry no multiplier (八点三十分 is a time)
      let k = j + 1;
      let digits = '';
      while (k < n) {
        const dk = R.digit.get(text[k]);
        if (dk !== undefined) digits += String(dk);
        else if (text[k] >= '0' && text[k] <= '9') digits += text[k];
        else break;
        k++;
      }
      if (!digits || R.smallUnit.has(text[k]) || text[k] === '分') break;
      const frac = Number('0.' + digits);
      if (prev.t === 'd' && !prev.multi && toks.length === 1) {
        // 二点五: the digit before the point is the whole integer part
        prev.v += frac;
        prev.multi = true;
        prev.end = k;
        j = k;
        continue;
      }
      if (prev.t === 'z' && toks.length === 1) {
        toks[0] = { t: 'd', v: frac, arabic: false, multi: true, end: k };
        j = k;
        continue;
      }
      // 两千三点一, 一七二零点一三四: the fraction adds to the whole integer part (2300.1, not 2003.1)
      fracAdd = frac;
      fracEnd = k;
      // 二十点一万: a magnitude after the fraction scales the whole figure
      const big = R.bigUnit.get(text[k]);
      if (big && !toks.some((t) => t.t === 'b') && !R.units.startingAt(text, k).some((u) => u.word.length >= 2)) {
        scale = big;
        fracEnd = k + 1;
      }
      j = fracEnd;
      break;
    }
    break;
  }
  return { toks, fracAdd, fracEnd, scale };
}

function isNumeralChar(c: string | undefined, R: CompiledRules): boolean {
  return !!c && (R.numeralChars.has(c) || (c >= '0' && c <= '9'));
}

function evalSection(toks: Tok[]): number | null {
  let total = 0;
  let cur: number | null = null;
  let curMulti = false;
  let lastUnit = 0;
  let zeroSeen = false;
  for (const tok of toks) {
    if (tok.t === 'd') {
      if (cur !== null) return null;
      cur = tok.v;
      curMulti = tok.multi;
    } else if (tok.t === 'z') {
      zeroSeen = true;
      if (cur !== null) {
        total += cur;
        cur = null;
      }
    } else if (tok.t === 's') {
      const u = tok.v;
      if (lastUnit && u >= lastUnit) return null;
      if (cur === null) {
        // 十五, 百三 at the start; 一百十, 一百零十 inside: the 一 before 十 may be left out
        if ((total === 0 && !zeroSeen) || u === 10) cur = 1;
        else return null;
      }
      total += cur * u;
      cur = null;
      lastUnit = u;
      zeroSeen = false;
    } else return null;
  }
  if (cur !== null) {
    // shorthand: 两千四百五 = 2450, 百三 = 130 (a last digit counts in the next place down)
    if (lastUnit && !zeroSeen && !curMulti && cur < 10) total += (cur * lastUnit) / 10;
    else total += cur;
  }
  return total;
}

function evalInt(toks: Tok[]): number | null {
  if (!toks.length) return null;
  let maxB = 0;
  for (const t of toks) if (t.t === 'b' && t.v > maxB) maxB = t.v;
  if (maxB === 0) return evalSection(toks);
  let idx = -1;
  for (let k = toks.length - 1; k >= 0; k--) {
    const t = toks[k];
    if (t.t === 'b' && t.v === maxB) {
      idx = k;
      break;
    }
  }
  const left = toks.slice(0, idx);
  const right = toks.slice(idx + 1);
  const lv = left.length ? evalInt(left) : 1;
  if (lv === null) return null;
  let rv = 0;
  if (right.length) {
    const first = right[0];
    if (first.t === 'z') {
      const r = evalInt(right.slice(1));
      if (r === null || r >= maxB) return null;
      rv = r;
    } else if (right.length === 1 && first.t === 'd' && !first.multi && first.v < 10) {
      rv = (first.v * maxB) / 10; // 一万三 = 13000
    } else {
      const r = evalInt(right);
      if (r === null || r >= maxB) return null;
      rv = r;
    }
  }
  return lv * maxB + rv;
}

type Evaluated = { value: number | null; min: number | null; max: number | null; qualifier: Qualifier | null };

function evaluate(all: Tok[]): Evaluated | null {
  let qualifier: Qualifier | null = null;
  // the tokens without their vague markers (十多万), copied only when there are any
  let toks = all;
  for (let k = 0; k < all.length; k++) {
    if (all[k].t !== 'v') continue;
    toks = [];
    for (const t of all) {
      if (t.t === 'v') qualifier = t.q;
      else toks.push(t);
    }
    break;
  }
  if (!toks.length) return null;
  const onlyDigits = toks.every((t) => t.t === 'd' && !t.arabic && !t.multi);
  // neighbouring digits make an approximate range: 三四个, 二三十, 十七八
  for (let k = 0; k + 1 < toks.length; k++) {
    const a = toks[k], b = toks[k + 1];
    const pair = b.t === 'd' && a.t === 'd' && (b.v === a.v + 1 || (a.v === 3 && b.v === 5));
    if (pair && a.t === 'd' && b.t === 'd' && !a.arabic && !b.arabic && !a.multi && !b.multi && !(onlyDigits && toks.length > 2)) {
      const lo = evalInt(toks.filter((_, x) => x !== k + 1));
      const hi = evalInt(toks.filter((_, x) => x !== k));
      if (lo === null || hi === null) return null;
      return { value: null, min: lo, max: hi, qualifier: 'approx' };
    }
  }
  if (onlyDigits && toks.length >= 2) {
    // digits read one by one: 二〇二三, 一九九一
    if (toks.length < 3 && !toks.some((t) => t.t === 'd' && t.v === 0)) return null;
    return { value: Number(toks.map((t) => (t as { v: number }).v).join('')), min: null, max: null, qualifier };
  }
  if (toks.some((t) => t.t === 'd' && t.arabic) && toks.filter((t) => t.t === 'd').length > 1 && toks.every((t) => t.t === 'd')) return null;
  const v = evalInt(toks);
  if (v === null) return null;
  return { value: v, min: null, max: null, qualifier };
}

/** Read the longest valid numeral at position i, or null. */
export function readNumeral(text: string, i: number, R: CompiledRules): Numeral | null {
  const { toks, fracAdd, fracEnd, scale } = tokenize(text, i, R);
  for (let len = toks.length; len > 0; len--) {
    // never cut inside one character (廿 is two tokens)
    if (len < toks.length && toks[len - 1].end === toks[len].end) continue;
    let use = toks.slice(0, len);
    while (use.length && (use[use.length - 1].t === 'v' || use[use.length - 1].t === 'z')) {
      // a numeral does not end in a vague marker or a bare 零 (unless it is only 零)
      if (use.length === 1 && use[0].t === 'z') break;
      use = use.slice(0, -1);
    }
    if (!use.length) return null;
    if (use.length === 1 && use[0].t === 'z') {
      return make(text, i, use[0].end, { value: 0, min: null, max: null, qualifier: null }, use);
    }
    // magnitudes alone are words (百花, 万众): a numeral that opens with one needs a digit or a second magnitude
    if ((use[0].t === 'b' || (use[0].t === 's' && use[0].v > 10)) && use.length < 2) continue;
    if (use.every((t) => t.t === 'b') && use.every((t) => t.t === 'b' && t.v === (use[0] as { v: number }).v)) continue; // 万万
    const ev = evaluate(use);
    if (!ev) continue;
    let end = use[use.length - 1].end;
    if (len === toks.length && fracEnd > 0 && ev.value !== null) {
      ev.value = (ev.value + fracAdd) * scale;
      end = fracEnd;
    }
    return make(text, i, end, ev, use);
  }
  return null;
}

/** 2074.68 × 1e8 is 207467999999.99997 in binary floating point: keep the digits a person wrote. */
export function clean(v: number | null): number | null {
  if (v === null || !Number.isFinite(v) || (Number.isSafeInteger(v) && v < 1e15 && v > -1e15)) return v;
  return Number(v.toPrecision(15));
}

function make(text: string, start: number, end: number, ev: Evaluated, toks: Tok[]): Numeral {
  const raw = text.slice(start, end);
  const hasArabic = toks.some((t) => t.t === 'd' && t.arabic);
  let topUnit = 1;
  for (const t of toks) if ((t.t === 'b' || t.t === 's') && t.v > topUnit) topUnit = t.v;
  const positional = !hasArabic && toks.length >= 2 && toks.every((t) => t.t === 'd');
  const plainArabic = hasArabic && toks.length === 1 && toks[0].t === 'd';
  return {
    start,
    end,
    value: clean(ev.value),
    min: clean(ev.min),
    max: clean(ev.max),
    chinese: !hasArabic,
    magnitude: toks.some((t) => t.t === 'b' || t.t === 's'),
    topUnit,
    qualifier: ev.qualifier,
    plainArabic,
    integerDigits: plainArabic && /^\d+$/.test(raw) ? raw.length : positional && ev.value !== null ? toks.length : 0,
    singleChinese: toks.length === 1 && toks[0].t === 'd' && !toks[0].arabic,
  };
}

/** Two Chinese digits read place by place (九九折, 三八折): only the discount unit allows this. */
export function readTwoDigitPositional(text: string, i: number, R: CompiledRules): { value: number; end: number } | null {
  const a = R.digit.get(text[i]);
  const b = R.digit.get(text[i + 1]);
  if (a === undefined || b === undefined) return null;
  return { value: a * 10 + b, end: i + 2 };
}
