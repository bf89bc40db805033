// The metric of a fact: the short noun phrase naming what is measured.
// Read over jieba's words of the clause: the object between a verb and the
// figure (完成产值54.3亿元), the phrase before the verb that introduces the
// figure (总量达到506家), or the thing counted after the measure word
// (建成2家智能工厂). Inheritance for changes, shares and ranks, and pairing
// of coordinated figures, happen in the pipeline, which sees all facts.
import type { CompiledRules, Kind } from '../rules/compile.js';
import type { Expression } from '../numbers/scan.js';
import type { Lexicon, Token } from '../nlp/jieba.js';

export interface MetricContext {
  text: string;
  lex: Lexicon;
  R: CompiledRules;
  /** spans to skip at the start of a phrase: subjects, times */
  skippable: { start: number; end: number }[];
}

export interface MetricResult {
  metric: string | null;
  rule: string;
  /** the phrase is only cue words, scope or a generic noun: take the metric of the figure before */
  inherit: boolean;
  /** the phrase before the figure, before splitting coordinated parts */
  left: string | null;
}

interface Words {
  fillers: Set<string>;
  verbs: Set<string>;
  objectVerbs: Set<string>;
  leading: Set<string>;
  trailing: Set<string>;
  generic: Set<string>;
  nominal: Set<string>;
}

const cache = new WeakMap<CompiledRules, Words>();
function words(R: CompiledRules): Words {
  let w = cache.get(R);
  if (!w) {
    const m = R.data.metrics;
    w = {
      fillers: new Set(m.fillers),
      verbs: new Set(m.verbs),
      objectVerbs: new Set(m.object_verbs),
      leading: new Set(m.leading_junk),
      trailing: new Set(m.trailing_junk),
      generic: new Set(m.generic_nouns),
      nominal: new Set([...m.nominal_verbs, ...m.money_words]),
    };
    cache.set(R, w);
  }
  return w;
}

const NOUNISH = /^(?:n|nr|nrt|nrfg|ns|nt|nz|ng|vn|an|b|x|eng|j|l|a|ad|k|h|i|nrf|g)$/;
const PUNCT = /^[，,。；;：:、！？!?“”"‘’（）()【】《》\s…—]+$/u;
const TIME_WORD = /^(?:\d{4}年(?:度|底|末|初)?|\d{1,2}月(?:份|底|末|初)?|\d{1,2}[日号]|今年|去年|上年|本年|前年|明年|近年来|年内|当年|同期|一季度|前三季度|上半年|下半年|全年)$/u;

function isVerb(t: Token, W: Words): boolean {
  if (W.nominal.has(t.word)) return false;
  if (W.verbs.has(t.word) || W.objectVerbs.has(t.word)) return true;
  return /^v[dgi]?$/.test(t.tag) && t.word.length >= 1;
}

/** Drop fillers, particles and cue words from both ends of a phrase. */
export function tidyMetric(raw: string, R: CompiledRules): string {
  const W = words(R);
  let s = raw.trim();
  let changed = true;
  while (changed && s) {
    changed = false;
    s = s.replace(/^[，,。；;：:、\s]+|[，,。；;：:、\s]+$/gu, '');
    for (const f of [...W.fillers, ...W.leading]) {
      if (s.startsWith(f) && s.length > f.length) {
        s = s.slice(f.length);
        changed = true;
      }
    }
    for (const f of [...W.fillers, ...W.trailing]) {
      if (s.endsWith(f) && s.length > f.length) {
        s = s.slice(0, -f.length);
        changed = true;
      }
    }
    const time = /^(?:\d{4}年(?:度|底|末|初)?|\d{1,2}月(?:份)?|今年|去年|上年|近年来|一季度|前三季度)/u.exec(s);
    if (time && s.length > time[0].length) {
      s = s.slice(time[0].length);
      changed = true;
    }
  }
  if (W.fillers.has(s) || W.leading.has(s) || W.trailing.has(s)) return '';
  return s;
}

/** The metric a figure names itself, before any inheritance. */
export function ownMetric(e: Expression, kind: Kind, windowStart: number, clauseEnd: number, ctx: MetricContext): MetricResult {
  const { text, lex, R } = ctx;
  const W = words(R);
  const max = R.data.metrics.max_length;
  const toks = lex.all();

  // skip what opens the window and is not the metric: subjects, times, openers
  let ws = windowStart;
  for (;;) {
    const s = ctx.skippable.find((x) => x.start <= ws && x.end > ws);
    const t = toks.find((x) => x.start <= ws && x.end > ws);
    if (s) ws = s.end;
    else if (t && (W.fillers.has(t.word) || W.leading.has(t.word) || PUNCT.test(t.word) || TIME_WORD.test(t.word))) ws = t.end;
    else break;
    if (ws >= e.before) break;
  }
  const left = toks.filter((t) => t.start >= ws && t.end <= e.before);
  const leftText = tidyMetric(text.slice(ws, e.before), R);

  // the thing counted after the measure word: 建成2家智能工厂, 集聚起80家集成电路设计企业
  const right: Token[] = [];
  if (e.unitClass === 'count' || e.unitClass === 'measure') {
    for (const t of toks) {
      if (t.start < e.after) continue;
      if (t.start >= clauseEnd) break;
      if (!NOUNISH.test(t.tag) || PUNCT.test(t.word) || W.trailing.has(t.word) || isVerb(t, W)) break;
      right.push(t);
    }
  }
  const rightText = right.length ? tidyMetric(text.slice(right[0].start, right[right.length - 1].end), R) : '';
  const lastLeft = left[left.length - 1];
  const leftEndsInVerb = !!lastLeft && (isVerb(lastLeft, W) || lastLeft.word === '等' || lastLeft.word === '等等');
  if (rightText && (!leftText || leftEndsInVerb || /等$/.test(text.slice(ws, e.before)))) {
    return { metric: clip(rightText, max), rule: 'metric.after-measure-word', inherit: false, left: null };
  }

  // otherwise the phrase before the figure: after the last verb, or before a verb that introduces the figure
  let vIdx = -1;
  for (let k = left.length - 1; k >= 0; k--) if (isVerb(left[k], W)) {
    vIdx = k;
    break;
  }
  let phrase: string;
  let rule = 'metric.before-figure';
  if (vIdx >= 0) {
    const afterVerb = left.slice(vIdx + 1).filter((t) => !W.fillers.has(t.word));
    const adverbsOnly = afterVerb.every((t) => /^(?:d|p|u|uj|ul|c|m)$/.test(t.tag) || W.leading.has(t.word) || W.trailing.has(t.word));
    if (!afterVerb.length || adverbsOnly) {
      // 总量达到506家: the phrase stands before the verb (and before a run of verbs: 已达到)
      let k = vIdx;
      while (k > 0 && (isVerb(left[k - 1], W) || /^(?:d|p)$/.test(left[k - 1].tag) || W.fillers.has(left[k - 1].word))) k--;
      phrase = tidyMetric(text.slice(ws, left[k].start), R);
      rule = 'metric.before-verb';
      if (!phrase && W.nominal.has(left[vIdx].word)) phrase = left[vIdx].word;
      // 持续投入 → nothing before: the verb itself may name the measure (投入1.2亿元)
      if (!phrase && /^(?:投入|投资|支出|收入|出资|融资|贷款|补贴|奖励|资助)$/.test(left[vIdx].word)) phrase = left[vIdx].word;
    } else {
      phrase = tidyMetric(text.slice(left[vIdx].end, e.before), R);
      rule = 'metric.verb-object';
    }
  } else phrase = leftText;

  if (!phrase && rightText) return { metric: clip(rightText, max), rule: 'metric.after-measure-word', inherit: false, left: null };
  const bare = stripCues(phrase, e, ctx);
  const inherit = !bare || W.generic.has(bare) || ((kind === 'change' || kind === 'rank') && bare.length <= 2);
  if (kind === 'share' && bare && !inherit) return { metric: clip(phrase, max), rule, inherit: false, left: phrase };
  return { metric: bare ? clip(kind === 'amount' ? phrase : bare, max) : null, rule, inherit, left: phrase || null };
}

/** What is left of a phrase without cue words and scopes: 较上年增长 → '', 排名全市 → '' */
function stripCues(phrase: string, e: Expression, ctx: MetricContext): string {
  const { R } = ctx;
  let s = phrase;
  for (const table of [R.changeCues, R.shareCues, R.rankCues, R.levelCues]) {
    for (let p = s.length; p > 0; p--) {
      const hit = table.endingAt(s, p)[0];
      if (hit) {
        s = s.slice(0, p - hit.word.length) + s.slice(p);
        p = p - hit.word.length + 1;
      }
    }
  }
  for (const scope of R.scopes) s = s.split(scope).join('');
  s = s.replace(/^(?:了|的|为|在|于|至|到|比|较|连续|持续|稳|均|都|也|已|再次|年)+|(?:了|的|为|在|于|中|连续|持续)+$/gu, '');
  void e;
  return tidyMetric(s, R);
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const de = s.lastIndexOf('的');
  if (de >= 0 && s.length - de - 1 >= 2) return s.slice(de + 1).slice(-max);
  return s.slice(-max);
}

/** Split a coordinated phrase (科技型企业和高新技术企业) into its parts. */
export function splitCoordinated(phrase: string, parts: number): string[] | null {
  const pieces = phrase.split(/[和与及、]|以及/u).map((p) => p.trim()).filter(Boolean);
  return pieces.length === parts ? pieces : null;
}

/** Money named by its metric takes the currency when none is printed (产值突破60亿). */
export function impliedCurrency(metric: string | null, R: CompiledRules): boolean {
  if (!metric) return false;
  return R.data.metrics.money_words.some((w) => metric.includes(w));
}
