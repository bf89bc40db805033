// The number layer: finds every numeric expression in cleaned text — a
// numeral with its unit, internal qualifier, range partner, ordinal or percent
// marker — and reads its value. Whether an expression is a fact is decided
// later (src/facts); here `2023年` is simply a time and `C919` a number.
import type { CompiledRules, Kind, Qualifier, UnitClass, UnitEntry } from '../rules/compile.js';
import { clean, readNumeral, type Numeral } from './numeral.js';
import { charTable } from '../text/segment.js';

export interface TimeValue {
  part: string;
  value: number;
  min?: number;
  max?: number;
}

export interface Expression {
  /** span in the cleaned text */
  start: number;
  end: number;
  value: number | null;
  min: number | null;
  max: number | null;
  unit: string | null;
  unitClass: UnitClass | null;
  qualifier: Qualifier;
  /** how it is written: a plain figure, an ordinal (第N), a top-N (前N), a time, a fixed word (一半) */
  form: 'number' | 'ordinal' | 'top' | 'time' | 'fixed';
  /** kind fixed by the form: rank for ordinals, share for 一半 */
  kind: Kind | null;
  time: TimeValue | null;
  chinese: boolean;
  singleChinese: boolean;
  magnitude: boolean;
  plainArabic: boolean;
  integerDigits: number;
  range: boolean;
  /** start of a qualifier word before the span, end of one after it */
  before: number;
  after: number;
  /** ids of the rules that built it */
  rules: string[];
  /** largest magnitude of the figure, for ranges that share one (`10-25万`) */
  magnitudeOf: number;
}

/** True when the numeral at [start, end) is part of an ordinary word (四川, 唯一). */
export type WordGuard = (start: number, end: number) => boolean;

const RANGE_CONNECTORS = ['——', '—', '–', '-', '~', '～', '至', '到', '－'];
const isHan = (c: string | undefined) => !!c && /\p{Script=Han}/u.test(c);
const isAlnum = (c: string | undefined) => !!c && /[A-Za-z0-9]/.test(c);

export class Scanner {
  /** UTF-16 units an expression can start with, by code: most positions are passed over on this alone */
  private readonly starts: Uint8Array;

  constructor(private readonly R: CompiledRules) {
    const s = new Set<string>('0123456789.第前半');
    for (const c of R.numeralChars) s.add(c);
    for (const c of R.negative) s.add(c[0]);
    for (const d of R.data.numerals.fixed) s.add(d.text[0]);
    for (const u of R.data.units.units) if (u.position === 'before') for (const f of Array.isArray(u.forms) ? u.forms : Object.keys(u.forms)) s.add(f[0]);
    this.starts = charTable(s);
  }

  scan(text: string, guard?: WordGuard): Expression[] {
    const out: Expression[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.starts[text.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      // a word that only looks like numerals (两两, 万一) is skipped whole, unless a fraction follows (十分之一)
      const word = this.R.notNumbers.startingAt(text, i)[0];
      if (word && !text.startsWith('之', i + word.word.length)) {
        i += word.word.length;
        continue;
      }
      const e = new Attempt(text, this.R, guard).at(i);
      if (e && e.end > i) {
        out.push(e);
        i = e.end;
      } else i++;
    }
    // values computed after the numeral (成, 折, 元角分, fractions, magnitudes after 余) get the same cleaning
    for (const e of out) {
      e.value = clean(e.value);
      e.min = clean(e.min);
      e.max = clean(e.max);
    }
    return mergeBounds(out, text, this.R);
  }
}

class Attempt {
  constructor(
    private readonly text: string,
    private readonly R: CompiledRules,
    private readonly guard?: WordGuard,
  ) {}

  at(p: number, marked = false): Expression | null {
    const { text, R } = this;
    // fixed words that carry a figure: 一半, 过半
    for (let iF = 0, fList = R.fixed.startingAt(text, p); iF < fList.length; iF++) {
      const f = fList[iF];
      const fx = f.value;
      if (fx.notFollowedByRe && fx.notFollowedByRe.test(text.slice(p + f.word.length, p + f.word.length + 8))) continue;
      const e = blank(p, p + f.word.length, ['numeral.fixed', fx.id]);
      e.form = 'fixed';
      e.value = fx.value;
      e.unit = fx.unit;
      e.unitClass = fx.unit === '%' ? 'percent' : null;
      e.kind = fx.kind ?? null;
      e.chinese = true;
      return this.qualify(e, fx.qualifier);
    }
    // units written first: 百分之, 人民币, 摄氏
    for (let iB = 0, bList = R.unitsBefore.startingAt(text, p); iB < bList.length; iB++) {
      const b = bList[iB];
      const inner = this.number(p + b.word.length, true, true);
      if (!inner || inner.form !== 'number') continue;
      inner.start = p;
      inner.before = p;
      inner.unit = b.value.unit;
      inner.unitClass = b.value.cls;
      inner.rules.unshift(b.value.id);
      return this.qualify(inner, null);
    }
    // 半公升, 半个: half of one unit
    if (text[p] === '半') {
      const u = R.units.startingAt(text, p + 1).find((c) => c.value.cls === 'measure' || c.value.cls === 'currency' || c.word === '个' || c.word === '個');
      if (u && !(u.value.notFollowedBy && u.value.notFollowedBy.test(text.slice(p + 1 + u.word.length, p + 9 + u.word.length)))) {
        const e = blank(p, p + 1 + u.word.length, ['numeral.half', u.value.id]);
        e.value = 0.5;
        e.unit = u.value.unit;
        e.unitClass = u.value.cls;
        e.chinese = true;
        return this.qualify(e, null);
      }
    }
    if (text[p] === '第') return this.ordinal(p);
    if (text[p] === '前') {
      const top = this.topN(p);
      if (top) return top;
    }
    for (const s of R.negative) {
      if (!text.startsWith(s, p)) continue;
      if ((s === '-' || s === '−') && (isAlnum(text[p - 1]) || text[p - 1] === ')' || text[p - 1] === '.')) continue;
      const inner = this.at(p + s.length, true);
      if (!inner || inner.form !== 'number') continue;
      inner.start = p;
      inner.before = p;
      if (inner.value !== null) inner.value = -inner.value;
      // the sign belongs to the first end of a range (-10000与20000之间), to both of a vague pair (负三四)
      if (inner.min !== null && inner.max !== null) {
        if (inner.rules.includes('numeral.range')) inner.min = -inner.min;
        else [inner.min, inner.max] = [-inner.max, -inner.min];
      }
      inner.rules.push('numeral.negative');
      return this.qualify(inner, null);
    }
    const e = this.number(p, true, marked);
    return e ? this.qualify(e, null) : null;
  }

  /** 第N, 第N位: an ordinal. Whether it is a rank is decided with its context later. */
  private ordinal(p: number): Expression | null {
    const { text, R } = this;
    const num = readNumeral(text, p + 1, R);
    if (!num || num.value === null || !Number.isInteger(num.value)) return null;
    let end = num.end;
    if ((text[end] === '位' || text[end] === '名') && !isHan(text[end + 1])) end++;
    const e = fromNumeral(num, p, end, ['numeral.ordinal']);
    e.form = 'ordinal';
    e.kind = 'rank';
    return e;
  }

  /** 前三, 前10位: the top N of a ranking (qualifier under). */
  private topN(p: number): Expression | null {
    const { text, R } = this;
    const num = readNumeral(text, p + 1, R);
    if (!num || num.value === null || !Number.isInteger(num.value) || num.value > 1000) return null;
    let end = num.end;
    const marker = /[位名强]/.test(text[end] ?? '');
    if (marker) end++;
    const cue = /(?:排名|排行|排|名列|位列|位居|居|进入|跻身|列|稳居)$/.test(text.slice(Math.max(0, p - 4), p));
    if (!marker && !cue) return null;
    if (R.timeMarkers.startingAt(text, num.end).length || R.units.startingAt(text, num.end).some((u) => u.value.cls === 'time')) return null;
    const e = fromNumeral(num, p, end, ['numeral.top-n']);
    e.form = 'top';
    e.kind = 'rank';
    e.qualifier = 'under';
    return e;
  }

  /** A figure starting at p with its unit, and a range partner when allowed. */
  /** `marked`: a sign or a unit written first (负, 百分之) already shows this is a number */
  number(p: number, allowRange: boolean, marked = false): Expression | null {
    const { text, R } = this;
    const num = readNumeral(text, p, R);
    if (!num) return null;
    const rules = [num.chinese ? 'numeral.chinese' : num.magnitude ? 'numeral.mixed' : 'numeral.arabic'];
    let value = num.value;
    let end = num.end;
    let fraction = false;

    // fractions: 三分之一, 三百五又三分之一, 3/5, 1 3/5
    if (text.startsWith('分之', end) && value) {
      const nu = readNumeral(text, end + 2, R);
      if (nu && nu.value !== null) {
        value = nu.value / value;
        end = nu.end;
        fraction = true;
        rules.push('numeral.fraction');
      }
    } else if (text[end] === '又' && value !== null) {
      const den = readNumeral(text, end + 1, R);
      if (den && den.value && text.startsWith('分之', den.end)) {
        const nu = readNumeral(text, den.end + 2, R);
        if (nu && nu.value !== null) {
          value += nu.value / den.value;
          end = nu.end;
          fraction = true;
          rules.push('numeral.fraction');
        }
      }
    } else if (num.plainArabic && /^\/\d+(?![\d/.])/.test(text.slice(end, end + 12)) && value !== null) {
      const m = /^\/(\d+)/.exec(text.slice(end, end + 12))!;
      const den = Number(m[1]);
      if (den) {
        value = value / den;
        end += m[0].length;
        fraction = true;
        rules.push('numeral.fraction');
      }
    } else if (num.plainArabic && value !== null && Number.isInteger(value) && / \d+\/\d+(?![\d/])/.test(text.slice(end, end + 14))) {
      const m = /^ (\d+)\/(\d+)(?![\d/])/.exec(text.slice(end, end + 14));
      if (m && Number(m[2])) {
        value += Number(m[1]) / Number(m[2]);
        end += m[0].length;
        fraction = true;
        rules.push('numeral.fraction');
      }
    }

    // words that only look like numerals: 万一, 十分
    if (!fraction && R.notNumbers.startingAt(text, p).length) return null;

    const e = fromNumeral(num, p, end, rules);
    e.value = value;
    if (fraction) {
      e.magnitude = true;
      e.singleChinese = false;
    }

    // a clock time: 2:00, 14:30:05
    const clock = num.plainArabic && value !== null && value <= 24 ? /^:\d{2}(?::\d{2})?(?!\d)/.exec(text.slice(end, end + 9)) : null;
    if (clock) {
      e.form = 'time';
      e.time = { part: 'hour', value: value! };
      e.end = end + clock[0].length;
      e.rules.push('time.clock');
      return e;
    }
    // a point in time: 2023年, 2月, 26日, 一季度
    if (!fraction && value !== null && Number.isInteger(value)) {
      const time = this.time(num, p, end);
      if (time) {
        if (!marked && num.chinese && !this.wordCheck({ ...e, unit: 'time', end: time.end }, num)) return null;
        e.form = 'time';
        e.time = time.value;
        e.end = time.end;
        e.rules.push(time.id);
        return allowRange ? this.range(e, p) : e;
      }
    }

    // two Chinese digits read one by one before 折: 九九折, 三八折
    if (num.singleChinese && R.digit.has(text[end]) && R.units.startingAt(text, end + 1).some((u) => u.value.cls === 'discount')) {
      e.value = (value ?? 0) * 10 + R.digit.get(text[end])!;
      end += 1;
      e.end = end;
    }

    // internal vague marker before the unit: 1500多家, 8000余名, 二十多家, 十来个
    const internal = R.qualInternal.get(text[end]);
    if (internal && !fraction) {
      const next = text[end + 1];
      const unitNext = R.units.startingAt(text, end + 1).length > 0 || R.bigUnit.has(next) || R.smallUnit.has(next);
      if (unitNext || !isHan(next)) {
        e.qualifier = internal.qualifier;
        e.rules.push(internal.id);
        end += 1;
        e.end = end;
        // 5000余万元: the magnitude after the marker still counts
        const big = R.bigUnit.get(text[end]);
        if (big && e.value !== null && !R.units.startingAt(text, end).some((u) => u.word.length >= 2)) {
          e.value *= big;
          e.magnitude = true;
          end += 1;
          e.end = end;
        }
      }
    }

    // collectives: 一打, 五十打
    for (const c of R.collectives) {
      if (text.startsWith(c.text, end) && !(c.notFollowedBy && c.notFollowedBy.test(text.slice(end + c.text.length, end + c.text.length + 8))) && e.value !== null) {
        e.value *= c.value;
        end += c.text.length;
        e.end = end;
        e.rules.push('numeral.collective');
        break;
      }
    }

    this.unit(e, num, end);
    if (!marked && !this.wordCheck(e, num)) return null;
    return allowRange ? this.range(e, p) : e;
  }

  /** A lone Chinese digit inside an ordinary word is no number (四川, 陆地, 一看). */
  private wordCheck(e: Expression, num: Numeral): boolean {
    const { text, R } = this;
    if (!num.chinese || e.form !== 'number' || e.rules.includes('numeral.fraction')) return true;
    const len = num.end - num.start;
    if (len > 2 && !num.singleChinese) return true;
    const c = text[num.start];
    const prev = text[num.start - 1];
    const next = text[e.end];
    // one character, a financial or traditional form (拾, 陆, 伍): a numeral only before a measure word
    if (len === 1 && R.wordFormingDigits.has(c) && (isHan(prev) || isHan(next))) {
      if (!e.unit && !e.rules.includes('numeral.collective')) return false;
      if (isHan(prev) && !R.loneLeftOk.has(prev)) return false;
    }
    // 一个, 一家, 一年: a lone 一 before a count or a span of time is a quantity word, jieba need not be asked
    const quantityWord = num.singleChinese && e.value === 1 && (e.unitClass === 'count' || e.unitClass === 'time');
    // a lone digit with no unit, running into a word (进一步, 统一): no number, and no need to ask jieba
    if (num.singleChinese && !e.unit && e.end === num.end && e.value !== null && !(next === undefined || R.loneRightOk.has(next) || !isHan(next))) return false;
    return quantityWord || !this.guard || !this.guard(num.start, Math.max(num.end, e.end));
  }

  private time(num: Numeral, p: number, end: number): { value: TimeValue; end: number; id: string } | null {
    const { text, R } = this;
    const value = num.value!;
    for (let iM = 0, mList = R.timeMarkers.startingAt(text, end); iM < mList.length; iM++) {
      const m = mList[iM];
      const mk = m.value;
      if (value < mk.min || value > mk.max) continue;
      if (mk.digits && num.integerDigits !== mk.digits) continue;
      if (mk.notAfterRe && mk.notAfterRe.test(text.slice(Math.max(0, p - 6), p))) continue;
      const after = end + m.word.length;
      if (mk.notFollowedByRe && mk.notFollowedByRe.test(text.slice(after, after + 8))) continue;
      return { value: { part: mk.part, value }, end: after, id: mk.id };
    }
    return null;
  }

  /** The unit after a figure, with what units bring along: 成 and 折 scaling, 半, 元角分, compounds. */
  private unit(e: Expression, num: Numeral, at: number) {
    const { text, R } = this;
    let chosen: { word: string; value: UnitEntry } | null = null;
    for (let iCand = 0, candList = R.units.startingAt(text, at); iCand < candList.length; iCand++) {
      const cand = candList[iCand];
      const u = cand.value;
      if (u.arabicOnly && num.chinese) continue;
      const after = at + cand.word.length;
      if (u.notFollowedBy && u.notFollowedBy.test(text.slice(after, after + 8))) continue;
      chosen = cand;
      break;
    }
    if (!chosen) return;
    const u = chosen.value;
    let end = at + chosen.word.length;
    e.unit = u.unit;
    e.unitClass = u.cls;
    e.rules.push(u.id);
    if (u.cls === 'tenth' && e.value !== null) {
      e.value *= u.scale ?? 10;
      // 七成六 = 76 %, 三成半 = 35 %
      const d = R.digit.get(text[end]);
      if (d !== undefined && !R.numeralChars.has(text[end + 1]) && !R.units.startingAt(text, end + 1).length) {
        e.value += d;
        end++;
      } else if (text[end] === '半') {
        e.value += 5;
        end++;
      }
    } else if (u.cls === 'discount' && e.value !== null) {
      if (e.value < 10) e.value *= 10;
    } else if (text[end] === '半' && !isHan(text[end + 1]) && e.value !== null && (u.cls === 'measure' || u.cls === 'time' || u.cls === 'count')) {
      e.value += 0.5; // 三斤半, 两米半
      end++;
    }
    if (u.cls === 'currency' && u.unit === '元' && e.value !== null) end = this.subunits(e, end, chosen.word === '块' || chosen.word === '蚊');
    if (u.compound) {
      for (const per of R.per) {
        if (!text.startsWith(per, end)) continue;
        let k = end + per.length;
        let mag = '';
        while (R.bigUnit.has(text[k]) || R.smallUnit.has(text[k])) mag += text[k++];
        const den = R.units.startingAt(text, k).find((d) => !d.value.arabicOnly || true);
        if (!den || den.value.cls === 'percent') continue;
        e.unit = `${u.unit}/${mag}${den.value.unit}`;
        end = k + den.word.length;
        e.rules.push('unit.compound');
        break;
      }
    }
    e.end = end;
  }

  /** 五元三毛, 50元6角三分, 五块六 */
  private subunits(e: Expression, end: number, colloquial: boolean): number {
    const { text, R } = this;
    const jiao = readNumeral(text, end, R);
    if (!jiao || jiao.value === null || jiao.value >= 10) return end;
    if (/[角毛毫]/.test(text[jiao.end] ?? '')) {
      e.value! += jiao.value / 10;
      let k = jiao.end + 1;
      const fen = readNumeral(text, k, R);
      if (fen && fen.value !== null && fen.value < 10 && text[fen.end] === '分') {
        e.value! += fen.value / 100;
        k = fen.end + 1;
      } else if (fen && fen.value !== null && fen.value < 10 && !isHan(text[fen.end])) {
        e.value! += fen.value / 100; // 一块二角五
        k = fen.end;
      }
      e.rules.push('unit.currency.subunits');
      return k;
    }
    if (text[jiao.end] === '分' && !isHan(text[jiao.end + 1])) {
      e.value! += jiao.value / 100; // 三块零四? 三块四分
      e.rules.push('unit.currency.subunits');
      return jiao.end + 1;
    }
    const after = text[jiao.end];
    const free = !isHan(after) || RANGE_CONNECTORS.includes(after);
    if (colloquial && jiao.singleChinese && free) {
      e.value! += jiao.value / 10; // 五块六
      e.rules.push('unit.currency.subunits');
      return jiao.end;
    }
    if (colloquial && text[end] === '零' && jiao.value < 10 && free) {
      e.value! += jiao.value / 100; // 三块零四
      e.rules.push('unit.currency.subunits');
      return jiao.end;
    }
    return end;
  }

  /** A range: 2万元—20万元, 10万-25万元, 3-5名, 一到五个, 2018年-2019年, 1-11月. */
  private range(first: Expression, p: number): Expression {
    const { text } = this;
    const at = first.end;
    // 10000与20000之间, 20和30之间
    if ((text[at] === '与' || text[at] === '和') && first.form === 'number' && first.value !== null) {
      const n2 = readNumeral(text, at + 1, this.R);
      if (n2 && n2.value !== null && /^(?:之间|间)/u.test(text.slice(n2.end, n2.end + 2)) && n2.value >= first.value) {
        return { ...first, end: n2.end, value: null, min: first.value, max: n2.value, range: true, rules: [...first.rules, 'numeral.range'] };
      }
    }
    const conn = RANGE_CONNECTORS.find((c) => text.startsWith(c, at));
    if (!conn) return first;
    const q = at + conn.length;
    if (!(/[0-9]/.test(text[q] ?? '') || this.R.numeralChars.has(text[q]))) return first;
    // 从1300万元到16亿元 is a change over time, not a range
    if ((conn === '到' || conn === '至') && /[从由自]$/.test(text.slice(Math.max(0, first.before - 1), first.before))) return first;
    const second = this.number(q, false);
    if (!second || second.value === null || first.value === null && first.min === null) return first;
    if (second.range) return first;
    if (first.form === 'time' || second.form === 'time') {
      // a time range needs both ends to be times of one kind, or a bare figure and a time (1-11月)
      if (second.form !== 'time') return first;
      const part = second.time!.part;
      if (first.form === 'time' && first.time!.part !== part) return first;
      if (first.form !== 'time') {
        if (first.unit || first.value === null) return first;
        const mk = this.R.data.time.markers.find((m) => m.part === part);
        if (!mk || first.value < mk.min || first.value > mk.max) return first;
      }
      const out = { ...first, end: second.end, form: 'time' as const, range: true };
      out.time = { part, value: second.time!.value, min: first.value!, max: second.time!.value };
      out.rules = [...first.rules, 'numeral.range'];
      return out;
    }
    if (first.unit && second.unit && first.unit !== second.unit) return first;
    if (first.form !== 'number') return first;
    let lo = first.value ?? first.min!;
    const hi = second.value;
    if (!first.unit && !first.magnitude && second.magnitude && lo * second.magnitudeOf <= hi) lo *= second.magnitudeOf;
    if (lo > hi) return first;
    const out: Expression = {
      ...first,
      end: second.end,
      value: null,
      min: lo,
      max: hi,
      unit: first.unit ?? second.unit,
      unitClass: first.unitClass ?? second.unitClass,
      range: true,
      magnitude: first.magnitude || second.magnitude,
      rules: [...first.rules, 'numeral.range'],
    };
    if (second.qualifier !== 'exact' && out.qualifier === 'exact') out.qualifier = second.qualifier;
    void p;
    return out;
  }

  /** Qualifier words around the span: 超过, 约, 近 before; 以上, 左右 after. */
  private qualify(e: Expression, fixedQualifier: Qualifier | null): Expression {
    const { text, R } = this;
    e.before = e.start;
    e.after = e.end;
    let pre: { id: string; qualifier: Qualifier } | null = null;
    // 超过了80, 至少有10: one small word may stand between the qualifier and the figure
    const gap = R.qualBetween.find((w) => text.startsWith(w, e.start - w.length)) ?? '';
    let cands = R.qualBefore.endingAt(text, e.start);
    // 最多为5: a real qualifier through the small word wins over the small word itself (为 is listed as exact)
    if (gap && cands.every((c) => c.value.qualifier === 'exact')) {
      const through = R.qualBefore.endingAt(text, e.start - gap.length).filter((c) => c.value.qualifier !== 'exact');
      if (through.length) cands = through;
    }
    for (const cand of cands) {
      const end = text.startsWith(cand.word, e.start - cand.word.length) ? e.start : e.start - gap.length;
      const wStart = end - cand.word.length;
      if (cand.value.notAfter && cand.value.notAfter.test(text.slice(Math.max(0, wStart - 4), wStart))) continue;
      pre = cand.value;
      // exact words (达, 多达) only stop shorter words from matching; they are not qualifiers
      if (pre.qualifier !== 'exact') e.before = wStart;
      break;
    }
    let post: { id: string; qualifier: Qualifier } | null = null;
    for (let iCand = 0, candList = R.qualAfter.startingAt(text, e.end); iCand < candList.length; iCand++) {
      const cand = candList[iCand];
      const after = e.end + cand.word.length;
      if (cand.value.notFollowedBy && cand.value.notFollowedBy.test(text.slice(after, after + 8))) continue;
      post = cand.value;
      e.after = after;
      break;
    }
    // 比三十大, 比170低
    const cmp = R.data.qualifiers.comparative;
    if (!pre && !post && cmp.before.some((w) => text.startsWith(w, e.start - w.length))) {
      const next = text[e.end];
      if (cmp.over_after.includes(next)) post = { id: 'qual.comparative.over', qualifier: 'over' };
      else if (cmp.under_after.includes(next)) post = { id: 'qual.comparative.under', qualifier: 'under' };
      if (post) e.after = e.end + 1;
    }
    if (e.form === 'ordinal' || e.form === 'time') return e;
    if (e.qualifier === 'exact' || e.form === 'top') {
      const q = pre && pre.qualifier !== 'exact' ? pre : post && post.qualifier !== 'exact' ? post : null;
      if (q && e.form !== 'top') {
        e.qualifier = q.qualifier;
        e.rules.push(q.id);
      } else if (fixedQualifier) e.qualifier = fixedQualifier;
    }
    return e;
  }
}

/** A floor and a ceiling side by side are one range: 大于100并且小于300, 1000以上，1500以下. */
function mergeBounds(list: Expression[], text: string, R: CompiledRules): Expression[] {
  const out: Expression[] = [];
  for (let k = 0; k < list.length; k++) {
    const a = list[k], b = list[k + 1];
    if (b && a.form === 'number' && b.form === 'number' && !a.range && !b.range && a.value !== null && b.value !== null) {
      const pair = a.qualifier === 'over' && b.qualifier === 'under' ? [a.value, b.value] : a.qualifier === 'under' && b.qualifier === 'over' ? [b.value, a.value] : null;
      const sameUnit = !a.unit || !b.unit || a.unit === b.unit;
      if (pair && pair[0] <= pair[1] && sameUnit && b.before - a.after <= 6 && R.rangeJoiners.test(text.slice(a.after, b.before).replace(/\s/g, ''))) {
        out.push({ ...a, end: b.end, after: b.after, value: null, min: pair[0], max: pair[1], unit: a.unit ?? b.unit, unitClass: a.unitClass ?? b.unitClass, qualifier: 'exact', range: true, rules: [...a.rules, 'numeral.range.bounds'] });
        k++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

function blank(start: number, end: number, rules: string[]): Expression {
  return {
    start,
    end,
    value: null,
    min: null,
    max: null,
    unit: null,
    unitClass: null,
    qualifier: 'exact',
    form: 'number',
    kind: null,
    time: null,
    chinese: false,
    singleChinese: false,
    magnitude: false,
    plainArabic: false,
    integerDigits: 0,
    range: false,
    before: start,
    after: end,
    rules,
    magnitudeOf: 1,
  };
}

function fromNumeral(num: Numeral, start: number, end: number, rules: string[]): Expression {
  const e = blank(start, end, rules);
  e.value = num.value;
  e.min = num.min;
  e.max = num.max;
  if (num.min !== null) e.range = true;
  e.qualifier = num.qualifier ?? 'exact';
  e.chinese = num.chinese;
  e.singleChinese = num.singleChinese;
  e.magnitude = num.magnitude;
  e.plainArabic = num.plainArabic;
  e.integerDigits = num.integerDigits;
  e.magnitudeOf = num.topUnit;
  return e;
}
