// Which numeric expressions are facts, and what kind of fact: a level, a
// change (with its direction), a share of a whole, or a rank (with its scope).
import type { CompiledRules, Kind, WordTable } from '../rules/compile.js';
import type { Expression } from '../numbers/scan.js';

export interface NonfactSpan {
  id: string;
  start: number;
  end: number;
  spareUnits: boolean;
  unitlessOnly: boolean;
}

/** Every match of every non-fact pattern in the cleaned text. */
export function findNonfactSpans(text: string, R: CompiledRules): NonfactSpan[] {
  const out: NonfactSpan[] = [];
  for (const p of R.nonfacts) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      out.push({ id: p.id, start: m.index, end: m.index + m[0].length, spareUnits: p.spareUnits, unitlessOnly: p.unitlessOnly });
    }
  }
  return out;
}

/**
 * The non-fact spans of a document, to be asked which overlap a stretch, given back in the
 * order findNonfactSpans made them (the first that applies decides). One pattern's matches
 * follow one another without overlapping, so within each pattern's run of spans the ones that
 * overlap a stretch are found by binary search. (Asking every span about every figure made a
 * long document quadratic; so did a window as wide as the longest span, once one web address
 * ran for 100,000 characters.)
 */
export class NonfactIndex {
  /** where each pattern's run of spans starts in `spans`, and where the last one ends (the length) */
  private readonly runs: number[] = [];

  constructor(readonly spans: readonly NonfactSpan[]) {
    for (let k = 0; k < spans.length; k++) if (k === 0 || spans[k].id !== spans[k - 1].id || spans[k].start < spans[k - 1].end) this.runs.push(k);
    this.runs.push(spans.length);
  }

  /** The spans that overlap [start, end), in the order of `spans`. */
  overlapping(start: number, end: number): NonfactSpan[] {
    const { spans, runs } = this;
    const out: NonfactSpan[] = [];
    for (let r = 0; r + 1 < runs.length; r++) {
      // the first span of the run that ends after `start` (ends rise with starts in a run)
      let lo = runs[r], hi = runs[r + 1];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (spans[mid].end <= start) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < runs[r + 1] && spans[k].start < end; k++) out.push(spans[k]);
    }
    return out;
  }
}

export interface Decision {
  fact: boolean;
  /** the rule that made it a fact, or the reason it is not one */
  rule: string;
}

const YEARLIKE = (e: Expression) => e.integerDigits === 4 && e.value !== null && e.value >= 1900 && e.value <= 2100;

export function decideFact(e: Expression, text: string, nonfacts: NonfactIndex, R: CompiledRules, clauseStart: number): Decision {
  if (e.form === 'time') return { fact: false, rule: e.rules[e.rules.length - 1] };
  const unitFromTable = e.unit !== null && e.rules.some((r) => r.startsWith('unit.'));
  for (const s of nonfacts.overlapping(e.start, e.end)) {
    if (s.spareUnits && unitFromTable && e.unitClass !== null && /[A-Za-z]/.test(text.slice(e.start, e.end)) && !/[A-Za-z]/.test(text[e.start - 1] ?? '')) continue;
    if (s.unitlessOnly && e.unit) continue;
    return { fact: false, rule: s.id };
  }
  if (/^级/.test(text.slice(e.end, e.end + 1))) return { fact: false, rule: 'fact.scale-label' };
  // 60岁及以上人口, 35周岁(及以下)博士: an age bound inside a name is a threshold, not a fact
  if (e.unitClass === 'age' && /^[(（]?(?:及|或)?以[上下][)）]?[\p{Script=Han}]/u.test(text.slice(e.end, e.end + 6))) return { fact: false, rule: 'fact.threshold' };
  if (e.form === 'ordinal') {
    if (R.ordinalNotRank.test(text.slice(e.end, e.end + 6))) return { fact: false, rule: 'fact.ordinal-not-rank' };
    // a rank needs a ranking around it: a rank verb, a scope, or 位/名 (渝北科技创新的第一 is a heading, not a rank)
    const before = text.slice(clauseStart, e.start);
    const ranked = /[位名]$/.test(text.slice(e.start, e.end)) || R.scopes.some((s) => before.endsWith(s)) || cuesBefore(text, clauseStart, e.start, R).some((h) => h.table === 'rank');
    if (!ranked) return { fact: false, rule: 'fact.ordinal-without-ranking' };
    return { fact: true, rule: 'numeral.ordinal' };
  }
  if (e.form === 'top') return { fact: true, rule: 'numeral.top-n' };
  if (e.form === 'fixed') return { fact: true, rule: e.rules[e.rules.length - 1] };
  if (e.value === null && e.min === null) return { fact: false, rule: 'fact.no-value' };
  if (e.unit) {
    // 一家, 一个, 一年: the numeral is an article, not a count
    if (e.chinese && e.value === 1 && !e.magnitude && ['count', 'time', 'age', 'measure', 'currency'].includes(e.unitClass ?? '')) return { fact: false, rule: 'fact.article-one' };
    return { fact: true, rule: e.rules.find((r) => r.startsWith('unit.')) ?? 'fact.unit' };
  }
  // a bare figure with a magnitude still states an amount: 10.62万群众, 突破60亿
  if (e.magnitudeOf >= 10000 && !e.singleChinese) return { fact: true, rule: 'fact.magnitude' };
  // a bare figure on a named scale: 智能制造发展指数62.2
  if (!e.chinese && !YEARLIKE(e)) {
    const before = text.slice(Math.max(clauseStart, e.before - 14), e.before);
    if (R.data.metrics.index_words.some((w) => before.includes(w))) return { fact: true, rule: 'fact.index' };
  }
  return { fact: false, rule: 'fact.no-unit' };
}

export interface KindResult {
  kind: Kind;
  direction: 'up' | 'down' | null;
  scope: string | null;
  rule: string | null;
}

interface CueHit {
  table: 'change' | 'level' | 'share' | 'rank';
  id: string;
  start: number;
  end: number;
  direction: 'up' | 'down' | null;
}

/** The cue words before position `to` (nearest first), no further back than `from`. */
export function cuesBefore(text: string, from: number, to: number, R: CompiledRules): CueHit[] {
  const hits: CueHit[] = [];
  const tables: [CueHit['table'], WordTable<{ id: string; notAfter: RegExp | null; notFollowedBy: RegExp | null; direction?: 'up' | 'down' | null }>][] = [
    ['change', R.changeCues],
    ['level', R.levelCues],
    ['share', R.shareCues],
    ['rank', R.rankCues],
  ];
  for (let p = to; p > from; p--) {
    let best: CueHit | null = null;
    // indexed loops: this runs at every position of a clause, and destructuring or for…of
    // over the look-ups made an iterator object each time
    for (let t = 0; t < tables.length; t++) {
      const name = tables[t][0];
      const found = tables[t][1].endingAt(text, p);
      for (let k = 0; k < found.length; k++) {
        const cand = found[k];
        const s = p - cand.word.length;
        if (s < from) continue;
        if (cand.value.notAfter && cand.value.notAfter.test(text.slice(Math.max(0, s - 4), s))) continue;
        if (cand.value.notFollowedBy && cand.value.notFollowedBy.test(text.slice(p, p + 6))) continue;
        if (!best || cand.word.length > best.end - best.start) best = { table: name, id: cand.value.id, start: s, end: p, direction: cand.value.direction ?? null };
        break;
      }
    }
    if (best) {
      hits.push(best);
      p = best.start + 1; // continue before this cue
    }
  }
  return hits;
}

const CONJUNCTION_ONLY = /^[和与及、,，以及和]*$/;

/** Kind, direction and scope of a fact from the cues before it in its clause. */
export function decideKind(e: Expression, text: string, windowStart: number, R: CompiledRules, previous: { kind: Kind; direction: 'up' | 'down' | null; end: number } | null): KindResult {
  const maxGap = R.data.kinds.max_gap;
  if (e.form === 'ordinal' || e.form === 'top') return { kind: 'rank', direction: null, scope: rankScope(e, text, windowStart, R), rule: null };
  const hits = cuesBefore(text, windowStart, e.before, R);
  // coordinated figures share their kind: 同比增加36.1%和19.2%
  if (previous && previous.end >= windowStart && CONJUNCTION_ONLY.test(text.slice(previous.end, e.before))) {
    return { kind: previous.kind, direction: previous.direction, scope: null, rule: 'kind.coordinated' };
  }
  const near = hits.find((h) => h.table !== 'rank');
  const share = hits.find((h) => h.table === 'share');
  const isRatio = e.unit === '%' || e.unit === '‰' || e.unit === '‱' || e.kind === 'share';
  if (near && e.before - near.end <= maxGap) {
    if (near.table === 'change') {
      // 提高到45%: a change verb followed by a level marker names the new level
      if (R.levelMarkers.has(text[near.end])) return { kind: 'amount', direction: null, scope: null, rule: near.id };
      let direction = near.direction;
      // 增长-2.3%: growth by a negative figure is a decline (the value keeps its printed sign)
      if (e.value !== null && e.value < 0) direction = direction === 'down' ? 'up' : 'down';
      if (direction === null) {
        // 同比 alone: the direction is in the verb after it, if any (同比+5%)
        direction = /^(?:增|上升|提高|增长)/.test(text.slice(near.end, e.before)) ? 'up' : /^(?:下降|减少|降)/.test(text.slice(near.end, e.before)) ? 'down' : null;
      }
      return { kind: 'change', direction, scope: null, rule: near.id };
    }
    if (near.table === 'share' && isRatio) return { kind: 'share', direction: null, scope: shareScope(text, share!, hits, e), rule: near.id };
    if (near.table === 'level' && share && isRatio && !hits.slice(0, hits.indexOf(share)).some((h) => h.table === 'change')) {
      return { kind: 'share', direction: null, scope: shareScope(text, share, hits, e), rule: share.id };
    }
  } else if (share && isRatio && e.before - share.end <= maxGap * 2) {
    return { kind: 'share', direction: null, scope: shareScope(text, share, hits, e), rule: share.id };
  }
  // 利润超50%增长: the change word may follow the figure
  const post = /^(?:的)?(?:增长|增幅|上涨|提升|提高|下降|降幅|下滑|减少)(?![到至为])/u.exec(text.slice(e.after, e.after + 5));
  if (post && (e.unit === '%' || e.unit === '百分点' || e.unit === '倍')) {
    return { kind: 'change', direction: /下降|降幅|下滑|减少/u.test(post[0]) ? 'down' : 'up', scope: null, rule: 'kind.change.after-figure' };
  }
  if (e.kind === 'share') return { kind: 'share', direction: null, scope: null, rule: null };
  if (e.kind) return { kind: e.kind, direction: null, scope: null, rule: null };
  return { kind: 'amount', direction: null, scope: null, rule: null };
}

// what may stand between the whole and the verb: 占GDP比重将达到 → GDP
const SCOPE_JUNK = /^(?:的|了)+|(?:的|总量|比重|比例|的比重|总额|总数|份额|将|要|会|可|能|预计|有望|力争|仍|继续)+$/g;

function shareScope(text: string, share: CueHit, hits: CueHit[], e: Expression): string | null {
  // the whole stands between the first share word (占) and the next cue or the figure
  const first = hits.filter((h) => h.table === 'share').pop() ?? share;
  const later = hits.find((h) => h.start >= first.end && h !== first);
  const end = later ? later.start : e.before;
  const raw = text.slice(first.end, end).replace(SCOPE_JUNK, '').replace(SCOPE_JUNK, '');
  if (!raw || raw.length > 12 || /[，,。；;]/.test(raw)) return null;
  return raw;
}

function rankScope(e: Expression, text: string, windowStart: number, R: CompiledRules): string | null {
  const hits = cuesBefore(text, windowStart, e.start, R).filter((h) => h.table === 'rank');
  const cue = hits[0];
  if (cue && e.start - cue.end <= 12) {
    const raw = text.slice(cue.end, e.start).replace(/^(?:了|在|于|为|至|到)+/, '').replace(/(?:的|中|里)$/, '');
    if (raw && raw.length <= 12 && !/[，,。；;]/.test(raw) && !/^\d/.test(raw)) return raw;
  }
  const before = text.slice(Math.max(windowStart, e.start - 10), e.start);
  for (const s of R.scopes) if (before.endsWith(s)) return s;
  return null;
}
