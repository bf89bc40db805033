// The metric of a fact: the short noun phrase naming what is measured.
// Read over jieba's words of the clause: the object between a verb and the
// figure (完成产值54.3亿元), the phrase before the verb that introduces the
// figure (总量达到506家), or the thing counted after the measure word
// (建成2家智能工厂). Inheritance for changes, shares and ranks, and pairing
// of coordinated figures, happen in the pipeline, which sees all facts.
import { escapeRegExp, WordTable, type CompiledRules, type Kind } from '../rules/compile.js';
import type { Expression } from '../numbers/scan.js';
import { token, type Lexicon, type Token } from '../nlp/jieba.js';

export interface MetricContext {
  text: string;
  lex: Lexicon;
  R: CompiledRules;
  /** spans to skip at the start of a phrase: subjects, times */
  skippable: { start: number; end: number }[];
  /** other figures and times of the sentence: never part of a metric */
  figures: { start: number; end: number }[];
  /** names of regions and organisations: a phrase that is only a name is no metric */
  names: Set<string>;
  /** phrases that are never metrics (区县 after 突破2000亿元的) */
  notMetrics: Set<string>;
  /** the scope of a share or rank, which is not part of its metric */
  scope?: string | null;
}

export interface MetricResult {
  metric: string | null;
  rule: string;
  /** the phrase is only cue words, scope or a generic noun: take the metric of the figure before */
  inherit: boolean;
  /** the phrase before the figure, before splitting coordinated parts */
  left: string | null;
  /** the figure's own words when they are only general (排名, 规模): used when there is nothing to inherit */
  generic?: string | null;
}

interface Words {
  /** fillers and leading junk of two characters or more, longest first, for stripping strings */
  leadingStrip: AffixStrip;
  /** fillers and trailing junk of two characters or more, longest first */
  trailingStrip: AffixStrip;
  /** every cue word and scope, stripped from the ends of a phrase when they stand as words */
  cueWords: Set<string>;
  /** cue words of two characters or more at the very end of a phrase */
  trailingCues: RegExp;
  fillers: Set<string>;
  verbs: Set<string>;
  objectVerbs: Set<string>;
  leading: Set<string>;
  trailing: Set<string>;
  generic: Set<string>;
  nominal: Set<string>;
  /** bases of a comparison (比上年, 同比) */
  bases: WordTable<true>;
}

/**
 * Strips words from one end of a string, trying them once each in the order given (longest
 * first), each against what the ones before left: as a loop of startsWith over the list
 * would, but only the words that share the character now at that end are tried (a metric
 * was tidied against 200 words, most of them hopeless: 2.4% of extraction time).
 */
class AffixStrip {
  /** by the code of the word's character at the stripped end: [place in the list, word] in list order */
  private readonly byEdge = new Map<number, [number, string][]>();

  constructor(list: string[], private readonly end: 'start' | 'end') {
    list.forEach((w, order) => {
      const edge = end === 'start' ? w.charCodeAt(0) : w.charCodeAt(w.length - 1);
      let l = this.byEdge.get(edge);
      if (!l) this.byEdge.set(edge, (l = []));
      l.push([order, w]);
    });
  }

  strip(s: string): string {
    let next = 0; // words before this place in the list were tried already
    for (;;) {
      if (!s.length) return s; // (charCodeAt past the end would throw the optimized code away)
      const l = this.byEdge.get(this.end === 'start' ? s.charCodeAt(0) : s.charCodeAt(s.length - 1));
      if (!l) return s;
      let hit: [number, string] | undefined;
      for (const c of l) {
        const w = c[1];
        if (c[0] >= next && s.length > w.length && (this.end === 'start' ? s.startsWith(w) : s.endsWith(w))) {
          hit = c;
          break;
        }
      }
      if (!hit) return s;
      s = this.end === 'start' ? s.slice(hit[1].length) : s.slice(0, s.length - hit[1].length);
      next = hit[0] + 1;
    }
  }
}

const cache = new WeakMap<CompiledRules, Words>();
function words(R: CompiledRules): Words {
  let w = cache.get(R);
  if (!w) {
    const m = R.data.metrics;
    const byLength = (a: string, b: string) => b.length - a.length;
    const cueWords = [...R.data.kinds.change, ...R.data.kinds.share, ...R.data.kinds.rank, ...R.data.kinds.level].flatMap((c) => c.words);
    const cuesAndScopes = new Set([...cueWords, ...R.scopes]);
    w = {
      leadingStrip: new AffixStrip([...new Set([...m.fillers, ...m.leading_junk])].filter((f) => f.length >= 2).sort(byLength), 'start'),
      // single characters are stripped as words by trim(); here only longer words, so 平均 keeps its 均
      trailingStrip: new AffixStrip([...new Set([...m.fillers, ...m.trailing_junk])].filter((f) => f.length >= 2).sort(byLength), 'end'),
      cueWords: cuesAndScopes,
      trailingCues: new RegExp(`(?:${[...cuesAndScopes].filter((w) => w.length >= 2).sort(byLength).map(escapeRegExp).join('|')})+$`, 'u'),
      fillers: new Set(m.fillers),
      verbs: new Set(m.verbs),
      objectVerbs: new Set(m.object_verbs),
      leading: new Set(m.leading_junk),
      trailing: new Set(m.trailing_junk),
      generic: new Set(m.generic_nouns),
      nominal: new Set([...m.nominal_verbs, ...m.money_words]),
      bases: new WordTable<true>(),
    };
    for (const b of R.data.kinds.comparison_bases) w.bases.add(b, true);
    cache.set(R, w);
  }
  return w;
}

const NOUNISH = /^(?:n|nr|nrt|nrfg|ns|nt|nz|ng|vn|an|b|x|eng|j|l|a|k|h|i|nrf|g)$/;
const PUNCT = /^[，,。；;：:、！？!?“”"‘’（）()【】《》\s…—●•◆■▲□·]+$/u;
const QUOTE = /^[“”"‘’「」『』]+$/u;
const TIME_WORD = /^(?:\d{4}年(?:度|底|末|初)?|\d{1,2}月(?:份|底|末|初)?|\d{1,2}[日号]|今年|去年|上年|本年|前年|明年|近年来|年内|当年|同期|[一二三四]季度|前三季度|上半年|下半年|全年|年末|年底|年初|年中|月末|目前|当前|如今|现在|近日|近年)$/u;
const ADVERBISH = /^(?:d|p|u|uj|ul|uz|uv|ud|ug|c|r|y|e|o|f|zg)$/;

/** An introducing verb: one the rules list, or any verb opening the phrase (撬动企业投资). */
function isVerb(t: Token, W: Words, opening: boolean): boolean {
  if (W.nominal.has(t.word)) return false;
  if (W.verbs.has(t.word) || W.objectVerbs.has(t.word)) return true;
  return opening && /^v[dgi]?$/.test(t.tag);
}

/** Drop fillers, particles, times and punctuation from both ends of a run of words. */
function trim(toks: Token[], W: Words): Token[] {
  let a = 0, b = toks.length;
  const junk = (t: Token) => PUNCT.test(t.word) || W.fillers.has(t.word) || TIME_WORD.test(t.word);
  while (a < b && (junk(toks[a]) || W.leading.has(toks[a].word))) a++;
  while (b > a && (junk(toks[b - 1]) || W.trailing.has(toks[b - 1].word))) b--;
  // jieba glues an unknown pair like 率为 (x): a trailing particle inside the last word goes too
  const last = toks[b - 1];
  if (b > a && last.tag === 'x' && last.word.length >= 2 && W.trailing.has(last.word.slice(-1))) {
    toks = [...toks.slice(0, b - 1), token(last.word.slice(0, -1), last.tag, last.start, last.end - 1)];
  }
  // a quotation mark left alone at one end belongs to nothing
  if (a < b && QUOTE.test(toks[a].word) && !toks.slice(a + 1, b).some((t) => QUOTE.test(t.word))) a++;
  if (a < b && QUOTE.test(toks[b - 1].word) && !toks.slice(a, b - 1).some((t) => QUOTE.test(t.word))) b--;
  return toks.slice(a, b);
}

/** The text from the first of toks[a, b) to the end of the last (all of them by default), '' when none. */
const joined = (text: string, toks: Token[], a = 0, b = toks.length) => (a < b ? text.slice(toks[a].start, toks[b - 1].end) : '');

/** Drop fillers, particles and cue words from both ends of a phrase given as a string. */
export function tidyMetric(raw: string, R: CompiledRules): string {
  const W = words(R);
  let s = raw.trim().replace(/^[，,。；;：:、\s]+|[，,。；;：:、\s]+$/gu, '');
  return W.trailingStrip.strip(W.leadingStrip.strip(s));
}

const QUOTE_PAIRS: [string, string][] = [['“', '”'], ['‘', '’'], ['「', '」'], ['『', '』'], ['"', '"']];

const ANY_QUOTE = /[“”‘’「」『』"]/u;

/** A metric cut inside a quotation (`一带一路”航线`) loses the marks left without their partner. */
function balanceQuotes(s: string): string {
  if (!ANY_QUOTE.test(s)) return s;
  for (const [open, close] of QUOTE_PAIRS) {
    const opens = s.split(open).length - 1;
    const closes = open === close ? opens : s.split(close).length - 1;
    if (open === close ? opens % 2 === 1 : opens !== closes) s = s.replaceAll(open, '').replaceAll(close, '');
  }
  return s;
}

/** The metric a figure names itself, before any inheritance. */
export function ownMetric(e: Expression, kind: Kind, windowStart: number, clauseEnd: number, ctx: MetricContext): MetricResult {
  const { text, lex, R } = ctx;
  const W = words(R);
  const max = R.data.metrics.max_length;
  const toks = lex.all();
  const skip = (t: Token) => ctx.skippable.some((x) => x.start < t.end && t.start < x.end);

  // words before the figure, without what opens the window and is not the metric (subjects, times)
  let left = toks.filter((t) => t.start >= windowStart && t.end <= e.before);
  // 居民消费价格比上年上涨0.3%: the metric ends where the base of the comparison starts, even inside a word (价格比)
  // (the first place after the window's start where a base begins; a base that opens the window
  // counts nowhere in it, as when each base's first occurrence was looked for)
  let limit = -1;
  for (let i = windowStart + 1; i < e.before && limit < 0; i++) {
    for (const b of W.bases.startingAt(text, i)) {
      const n = b.word.length;
      if (i + n <= e.before && !(windowStart + n <= e.before && text.startsWith(b.word, windowStart))) {
        limit = i;
        break;
      }
    }
  }
  if (limit > 0) {
    const kept: Token[] = [];
    for (const t of left) if (t.start < limit) kept.push(t.end > limit ? token(text.slice(t.start, limit), t.tag, t.start, limit) : t);
    left = kept;
  }
  // a figure or a time inside the window ends what stood before it (…中心2018年底时不到100人): the phrase starts after it
  let from = 0;
  for (let i = 0; i < left.length; i++) {
    const t = left[i];
    for (const x of ctx.figures) if (x.start < t.end && t.start < x.end) from = i + 1;
  }
  // then what opens the phrase and is not the metric: subjects, times, fillers (2020年渝北区地区生产总值)
  while (from < left.length) {
    const t = left[from];
    if (!(skip(t) || PUNCT.test(t.word) || W.fillers.has(t.word) || W.leading.has(t.word) || TIME_WORD.test(t.word))) break;
    from++;
  }
  if (from > 0) left = left.slice(from);

  // the thing counted after the measure word: 建成2家智能工厂, 在16万平方米的楼宇空间里
  const right: Token[] = [];
  const lastL = left[left.length - 1];
  const leftOpen = !lastL || isVerb(lastL, W, left.length === 1) || /^(?:等|等等|的|了)$/.test(lastL.word);
  let k0 = toks.findIndex((t) => t.start >= e.after);
  if (k0 >= 0 && toks[k0].word === '的' && e.unitClass !== 'count') k0++;
  // 有80%的技术需求: a share written before its noun, joined by 的
  const ofNoun = k0 >= 0 && toks[k0 - 1]?.word === '的' && toks[k0 - 1].start >= e.after && e.unitClass === 'percent';
  if (k0 >= 0 && e.unitClass !== null && ((e.unitClass !== 'percent' && e.unitClass !== 'point' && e.unitClass !== 'time') || ofNoun)) {
    let nounSeen = false;
    for (let k = k0; k < toks.length; k++) {
      const t = toks[k];
      if (t.start >= clauseEnd) break;
      if (PUNCT.test(t.word) && !QUOTE.test(t.word)) break;
      const next = toks[k + 1];
      const nextIsNoun = !!next && next.start < clauseEnd && /^(?:n|nz|vn|ng|nr|nt|ns|x|eng|j)$/.test(next.tag) && !PUNCT.test(next.word);
      // 开放共享平台: a run of verbs that ends in a noun modifies it
      let j = k;
      while (j + 1 < toks.length && /^v[dgi]?$/.test(toks[j + 1].tag) && toks[j + 1].start < clauseEnd) j++;
      const runEndsInNoun = j > k && !!toks[j + 1] && toks[j + 1].start < clauseEnd && /^(?:n|nz|vn|ng|nr|nt|ns|x|eng|j)$/.test(toks[j + 1].tag);
      const nounish = NOUNISH.test(t.tag) && !W.trailing.has(t.word);
      // a verb inside the counted phrase (开放共享平台, 担保服务费) is followed by a noun
      const modifierVerb = /^v[dgi]?$/.test(t.tag) && (nextIsNoun || runEndsInNoun) && !W.verbs.has(t.word);
      // 历经70多次修改, : a verb alone before the clause ends names the counted act
      const lastVerb = !right.length && /^v/.test(t.tag) && (!next || next.start >= clauseEnd || PUNCT.test(next.word));
      if (!nounish && !modifierVerb && !lastVerb && !QUOTE.test(t.word)) break;
      // after the counted noun, a verb the rules know starts the predicate (主机厂提供…, 企业赴…)
      if (nounSeen && /^v/.test(t.tag) && (W.verbs.has(t.word) || W.objectVerbs.has(t.word) || !(nextIsNoun || runEndsInNoun))) break;
      // a phrase that opens with a verb is a predicate unless the words before left the object open (建成了…等10个开放共享平台)
      if (!right.length && modifierVerb && !leftOpen) break;
      right.push(t);
      if (nounish) nounSeen = true;
    }
    // 1家企业被认定为市级智能制造标杆企业: what the counted things became names them better
    const after = right.length ? right[right.length - 1].end : e.after;
    const passive = /^(?:被认定为|被评为|认定为|获评|入选|被列为|列为)/u.exec(text.slice(after, clauseEnd));
    if (passive && right.length <= 2) {
      const rest = toks.filter((t) => t.start >= after + passive[0].length && t.end <= clauseEnd);
      let np: Token[] = [];
      for (const t of rest) {
        if (PUNCT.test(t.word) && !/^[()（）、]$/.test(t.word)) break;
        np.push(t);
      }
      // 国家级、市级工业互联网试点示范: the last item names it best
      let lastComma = np.length - 1;
      while (lastComma >= 0 && np[lastComma].word !== '、') lastComma--;
      if (lastComma >= 0 && lastComma < np.length - 1) np = np.slice(lastComma + 1);
      if (np.length) right.splice(0, right.length, ...np);
    }
  }
  const rightText = joined(text, trim(right, W));
  const tl = trim(left, W);
  const lastLeft = left[left.length - 1];
  const leftEndsInVerb = !!lastLeft && (isVerb(lastLeft, W, left.length === 1) || lastLeft.word === '等' || lastLeft.word === '等等' || lastLeft.word === '的');
  const viaDe = k0 >= 1 && toks[k0 - 1]?.word === '的' && toks[k0 - 1].start >= e.after;
  if (rightText && !ctx.notMetrics.has(rightText) && (e.unitClass === 'count' || !tl.length || leftEndsInVerb || viaDe)) {
    return { metric: clip(rightText, max), rule: 'metric.after-measure-word', inherit: false, left: null };
  }

  // otherwise the phrase before the figure: after the last verb, or before a verb that introduces the figure
  // a verb opens the phrase when only adverbs and times stand before it
  let firstWord = 0;
  while (firstWord < tl.length && (ADVERBISH.test(tl[firstWord].tag) || TIME_WORD.test(tl[firstWord].word))) firstWord++;
  let vIdx = -1;
  for (let k = tl.length - 1; k >= 0; k--) {
    if (isVerb(tl[k], W, k <= firstWord)) {
      vIdx = k;
      break;
    }
  }
  let phraseToks: Token[];
  let rule = 'metric.before-figure';
  if (vIdx >= 0) {
    const afterVerb = trim(tl.slice(vIdx + 1), W);
    // 位列全市第一: what follows the verb is only the scope, the metric stands before the verb
    const adverbsOnly = afterVerb.every((t) => ADVERBISH.test(t.tag)) || !stripCues(afterVerb, text, ctx);
    if (!afterVerb.length || adverbsOnly) {
      // 总量达到506家: the phrase stands before the verb (and before a run of verbs: 已达到)
      let k = vIdx;
      while (k > 0 && (isVerb(tl[k - 1], W, false) || ADVERBISH.test(tl[k - 1].tag) || W.fillers.has(tl[k - 1].word))) k--;
      phraseToks = trim(tl.slice(0, k), W);
      // 项目建成后年产值可达…: a time clause (verb + 后/时) before the phrase is not part of it
      const clauseEnd = phraseToks.findLastIndex((t, i) => /^(?:后|时|以后|之后|以来|期间)$/u.test(t.word) && i > 0 && /^v/.test(phraseToks[i - 1].tag));
      if (clauseEnd >= 0 && clauseEnd < phraseToks.length - 1) phraseToks = trim(phraseToks.slice(clauseEnd + 1), W);
      rule = 'metric.before-verb';
      // 陆续投入1.2亿元: nothing before, but the verb itself names the measure
      if (!phraseToks.length && (W.nominal.has(tl[vIdx].word) || /^(?:投入|投资|支出|出资|融资|贷款|补贴|奖励|资助)$/.test(tl[vIdx].word))) phraseToks = [tl[vIdx]];
    } else {
      phraseToks = afterVerb;
      rule = 'metric.verb-object';
      // 城镇新增就业: a short object keeps the phrase before its verb
      const before = trim(tl.slice(0, vIdx), W);
      const objectText = joined(text, afterVerb);
      if (objectText.length <= 2 && before.length && before.every((t) => NOUNISH.test(t.tag)) && W.objectVerbs.has(tl[vIdx].word)) {
        phraseToks = [...before, tl[vIdx], ...afterVerb];
        rule = 'metric.short-object';
      }
    }
  } else phraseToks = tl;
  let phrase = joined(text, phraseToks);
  // 技术创新中心、重点实验室等市级创新平台: examples before 等 are not the metric
  const deng = phrase.lastIndexOf('等');
  if (deng >= 0 && phrase.length - deng - 1 >= 2) phrase = tidyMetric(phrase.slice(deng + 1), R);

  if (!phrase && rightText && !ctx.notMetrics.has(rightText)) return { metric: clip(rightText, max), rule: 'metric.after-measure-word', inherit: false, left: null };
  let bare = phrase === joined(text, phraseToks) ? stripCues(phraseToks, text, ctx) : stripCues(toks.filter((t) => t.start >= e.start - phrase.length * 4 && text.slice(t.start, t.end) && phrase.includes(t.word) && t.end <= e.before), text, ctx);
  // a phrase that is only a name (成为重庆市…) names who, not what
  if (ctx.names.has(bare)) bare = '';
  const inherit = !bare || W.generic.has(bare) || ((kind === 'change' || kind === 'rank') && bare.length <= 2);
  // 占GDP比重4.08%: a share named by a ratio word is its own metric; 占全市25.4% continues the figure before
  if (kind === 'share' && /比重|比例|占比|份额|率/u.test(phrase)) return { metric: clip(phrase, max), rule, inherit: false, left: phrase };
  if (kind === 'share' && bare && !inherit) return { metric: clip(phrase, max), rule, inherit: false, left: phrase };
  const generic = tidyMetric(phrase.replace(/(?:上升了?|下降了?|提高了?|提升了?|增长了?|减少了?)$/u, ''), R) || null;
  return { metric: bare ? clip(kind === 'amount' ? phrase : bare, max) : null, rule, inherit, left: phrase || null, generic };
}

/** What is left of a phrase without cue words and scopes: 较上年增长 → '', 排名全市 → '' */
/** What is left of a phrase without cue words and scopes at its ends: 较上年增长 → '', 排名全市 → '', 居民消费价格 stays. */
function stripCues(phraseToks: Token[], text: string, ctx: MetricContext): string {
  const W = words(ctx.R);
  const drop = (t: Token) => W.cueWords.has(t.word) || (!!ctx.scope && t.word === ctx.scope) || W.fillers.has(t.word) || /^(?:了|的|为|在|于|至|到|比|较|连续|持续|稳|均|都|也|已|再次|中)$/.test(t.word) || PUNCT.test(t.word);
  let a = 0, b = phraseToks.length;
  while (a < b && drop(phraseToks[a])) a++;
  while (b > a && drop(phraseToks[b - 1])) b--;
  let s = joined(text, phraseToks, a, b);
  // jieba may glue a cue to the noun before it (价格下降): a cue of two characters or more at the very end goes too
  const glued = W.trailingCues.exec(s);
  if (glued && glued.index > 0) s = s.slice(0, glued.index);
  // 占全省外贸总值的55.9%: the whole it is a share of (全省 dropped as a scope word or not) is not what it measures
  if (ctx.scope && s && ctx.scope.endsWith(s)) s = '';
  // 规模位居全国城市第二: the scope and the rank verb before it close the phrase; what is left may be only general
  if (ctx.scope && s.length > ctx.scope.length && s.endsWith(ctx.scope)) {
    s = s.slice(0, -ctx.scope.length);
    const cue = W.trailingCues.exec(s);
    if (cue && cue.index > 0) s = s.slice(0, cue.index);
  }
  return tidyMetric(s, ctx.R);
}

/** A metric no longer than max (what follows the last 的 when that is long enough), its quotation marks in pairs. */
function clip(phrase: string, max: number): string {
  const s = balanceQuotes(phrase);
  if (s.length <= max) return s;
  const de = s.lastIndexOf('的');
  if (de >= 0 && s.length - de - 1 >= 2) return balanceQuotes(s.slice(de + 1).slice(-max));
  return balanceQuotes(s.slice(-max));
}

const RANKING = /([\p{Script=Han}A-Za-z&“”"‘’]{2,20}?)(?:的)?(?:排名|排行榜|排行|榜单|评价|评比|测评)/gu;

/** A ranking named earlier in the sentence (区县科技竞争力排名, …居第一): the metric of a rank that has none. */
export function rankingBefore(text: string, start: number, end: number, R: CompiledRules): string | null {
  const body = text.slice(start, end);
  let last: string | null = null;
  RANKING.lastIndex = 0;
  for (let m = RANKING.exec(body); m; m = RANKING.exec(body)) last = m[1];
  if (!last) return null;
  const s = tidyMetric(last.replace(/^(?:在|据|根据|于)/u, ''), R);
  return s.length >= 2 ? s : null;
}

/** Split a coordinated phrase (科技型企业和高新技术企业) into its parts. */
export function splitCoordinated(phrase: string, parts: number): string[] | null {
  const pieces = phrase.split(/[和与及、]|以及/u).map((p) => p.trim()).filter(Boolean);
  if (pieces.length !== parts) return null;
  // 电子信息、装备制造、先进材料三大产业产值: the count that sums the list up belongs to no one item
  const last = pieces.length - 1;
  const recap = RECAP.exec(pieces[last]);
  if (recap && recap.index >= 2) pieces[last] = pieces[last].slice(0, recap.index);
  return pieces;
}

const RECAP = /(?:[两二三四五六七八九十]|[0-9]{1,2})(?:大|个|项|类|种)/u;

/** Money named by its metric takes the currency when none is printed (产值突破60亿). */
export function impliedCurrency(metric: string | null, R: CompiledRules): boolean {
  if (!metric) return false;
  return R.data.metrics.money_words.some((w) => metric.includes(w));
}
