// The year and modality of a fact, from the sentence before it.
import type { CompiledRules } from '../rules/compile.js';
import type { Expression } from '../numbers/scan.js';
import type { NonfactIndex } from './classify.js';
import { firstFrom } from '../text/segment.js';

export interface YearResult {
  year: number | null;
  timeText: string | null;
  rule: string | null;
}

interface TimeCandidate {
  start: number;
  end: number;
  year: number | null;
  relative: number | null;
  text: string;
  rule: string;
}

/** Years and relative years of one sentence, in order. `times`: the document's, sorted by start. */
export function timeCandidates(text: string, start: number, end: number, times: Expression[], nonfacts: NonfactIndex, R: CompiledRules): TimeCandidate[] {
  const out: TimeCandidate[] = [];
  for (let k = firstFrom(times, start); k < times.length && times[k].start < end; k++) {
    const t = times[k];
    if (t.end > end || !t.time) continue;
    if (t.time.part !== 'year') continue;
    // a year inside a title or a quoted name governs nothing (《2020年全球创新指数报告》)
    if (nonfacts.overlapping(t.start, t.end).some((s) => (s.id === 'nonfact.book-title' || s.id === 'nonfact.quoted-name') && s.start <= t.start && s.end >= t.end)) continue;
    out.push({ start: t.start, end: t.end, year: t.time.value, relative: null, text: text.slice(t.start, t.end), rule: t.rules[t.rules.length - 1] });
  }
  for (let p = start; p < end; p++) {
    const r = R.relativeYears.startingAt(text, p)[0]; // the longest word here; no iterator made per position
    if (!r) continue;
    out.push({ start: p, end: p + r.word.length, year: null, relative: r.value.offset, text: r.word, rule: r.value.id });
    p += r.word.length - 1;
  }
  return out.sort((a, b) => a.start - b.start);
}

export function yearFor(text: string, e: Expression, candidates: TimeCandidate[], R: CompiledRules, publishedYear: number | null): YearResult {
  for (let k = candidates.length - 1; k >= 0; k--) {
    const c = candidates[k];
    if (c.end > e.before) continue;
    const after = text.slice(c.end, c.end + 12);
    const before = text.slice(Math.max(0, c.start - 3), c.start);
    if (R.nonGoverningAfter.some((re) => re.test(after))) continue;
    if (R.nonGoverningBefore.some((re) => re.test(before))) continue;
    if (c.year !== null) return { year: c.year, timeText: c.text, rule: c.rule };
    return { year: publishedYear !== null ? publishedYear + c.relative! : null, timeText: c.text, rule: c.rule };
  }
  return { year: null, timeText: null, rule: null };
}

export interface ModalityCue {
  end: number;
  start: number;
  planned: boolean;
  id: string;
  weak: boolean;
  frame: boolean;
}

export function modalityCues(text: string, start: number, end: number, R: CompiledRules): ModalityCue[] {
  const body = text.slice(start, end);
  const out: ModalityCue[] = [];
  for (const [list, planned] of [
    [R.planned, true],
    [R.actual, false],
  ] as const) {
    for (const c of list) {
      c.re.lastIndex = 0;
      for (let m = c.re.exec(body); m; m = c.re.exec(body)) {
        if (!m[0].length) {
          c.re.lastIndex++;
          continue;
        }
        out.push({ start: start + m.index, end: start + m.index + m[0].length, planned, id: c.id, weak: !!c.weak, frame: !!c.frame });
      }
    }
  }
  return out.sort((a, b) => a.end - b.end);
}

export function modalityFor(e: Expression, cues: ModalityCue[], year: number | null, publishedYear: number | null): { modality: 'actual' | 'planned'; rule: string | null } {
  let last: ModalityCue | null = null;
  for (const c of cues) {
    if (!(c.end <= e.before && c.start < e.start)) continue;
    if (c.weak && last?.frame) continue; // 计划到2025年…累计新增100家: still the plan
    last = c;
  }
  if (last) return { modality: last.planned ? 'planned' : 'actual', rule: last.id };
  // a year still to come is a plan
  if (year !== null && publishedYear !== null && year > publishedYear) return { modality: 'planned', rule: 'modality.planned.future-year' };
  return { modality: 'actual', rule: null };
}
