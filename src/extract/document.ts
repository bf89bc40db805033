// One document, end to end: clean the text, find every numeric expression,
// decide which are facts, link each fact to its kind, year, modality,
// subject and metric, and map every span back to the original file.
import { createHash } from 'node:crypto';
import { cleanText, type CleanText } from '../text/clean.js';
import { charTable, firstAtOrAfter, firstFrom, splitSentences, splitClauses, type Span } from '../text/segment.js';
import { Lexicon, tagPieces, wordSpans } from '../nlp/jieba.js';
import type { CompiledRules, Kind } from '../rules/compile.js';
import { Scanner, type Expression } from '../numbers/scan.js';
import { decideFact, decideKind, findNonfactSpans, NonfactIndex, type Decision, type KindResult } from '../facts/classify.js';
import { modalityCues, modalityFor, timeCandidates, yearFor } from '../facts/time.js';
import type { ExpressionRecord, Fact } from '../facts/record.js';
import { findEntities, orgSuffixes } from '../link/entities.js';
import { clauseTopic, subjectFor, type SubjectResult } from '../link/subject.js';
import { impliedCurrency, ownMetric, rankingBefore, splitCoordinated, type MetricResult } from '../link/metric.js';
import { extractorVersion } from '../version.js';

export interface ExtractOptions {
  /** provenance name of the document (path relative to the corpus root, or a feed id) */
  doc?: string;
  /** publication date: resolves 今年, 去年 to years */
  published?: string | Date | null;
  rules?: CompiledRules;
  /** sha256 of the text when the caller has it already (a run hashes every document it reads) */
  sha256?: string;
}

export interface DocumentResult {
  doc: string;
  sha256: string;
  facts: Fact[];
  /** every numeric expression, fact or not, for parse --all and for showing misses (made on first use) */
  readonly expressions: ExpressionRecord[];
  clean: CleanText;
}

const scanners = new WeakMap<CompiledRules, Scanner>();
const ALLOWED_IN_NUMERAL_WORDS = new Set(['m', 'mq', 'q', 'x', 'eng']);
const TERMINAL = /[。！？!?；;…”"]$/u;
const CONTINUES = /^(?:这|该|其|此|它|他们|公司|目前|同时|此外|另外|据介绍|而且|并且|不仅)/u;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function publishedYear(p: ExtractOptions['published']): number | null {
  if (!p) return null;
  const d = p instanceof Date ? p : new Date(p);
  const y = d.getUTCFullYear();
  return Number.isFinite(y) ? y : null;
}

interface Pending {
  e: Expression;
  decision: Decision;
  sentence: number;
  clause: Span;
  windowStart: number;
  kind: KindResult;
  metric: MetricResult;
  subject: SubjectResult;
  year: ReturnType<typeof yearFor>;
  modality: ReturnType<typeof modalityFor>;
  finalMetric: string | null;
  doubts: string[];
  rules: string[];
}

/**
 * `opts.rules`: compiled by the caller (the library's extractDocument, src/index.ts, defaults to
 * the built-in rules; this module does not read rule files, so the extraction threads need not
 * load the YAML parser and the schemas).
 */
export function extractDocument(original: string, opts: ExtractOptions & { rules: CompiledRules }): DocumentResult {
  const R = opts.rules;
  let scanner = scanners.get(R);
  if (!scanner) scanners.set(R, (scanner = new Scanner(R)));
  const doc = opts.doc ?? '-';
  const hash = opts.sha256 ?? sha256(original);
  const pubYear = publishedYear(opts.published);
  const clean = cleanText(original, wordSpans);
  const text = clean.text;
  const sentences = splitSentences(text);
  const sentenceOf = (p: number) => {
    let lo = 0, hi = sentences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sentences[mid].start <= p) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  const clausesOf = new Map<number, Span[]>();
  const clauses = (si: number) => {
    let c = clausesOf.get(si);
    if (!c) clausesOf.set(si, (c = splitClauses(text, sentences[si])));
    return c;
  };
  /** the clause of sentence si that holds p, if any (by binary search: a sentence may have hundreds) */
  const clauseHolding = (si: number, p: number): Span | undefined => {
    const cs = clauses(si);
    const c = cs[firstFrom(cs, p + 1) - 1];
    return c && p < c.end ? c : undefined;
  };
  const clauseAt = (si: number, p: number) => clauseHolding(si, p) ?? sentences[si];
  // jieba's words, tagged once per clause and only for clauses something asks about
  const lexicons = new Map<number, Lexicon>();
  const noWords = new Lexicon('', 0);
  const lexAt = (p: number): Lexicon => {
    const c = clauseHolding(sentenceOf(p), p);
    if (!c) return noWords; // punctuation between clauses has no words
    let l = lexicons.get(c.start);
    if (!l) lexicons.set(c.start, (l = new Lexicon(text.slice(c.start, c.end), c.start)));
    return l;
  };
  // the clauses that will be asked about — those holding a numeral or an organisation suffix — tagged in one call
  {
    const wanted: Span[] = [];
    for (let si = 0; si < sentences.length; si++) for (const c of clauses(si)) if (interesting(text, c, R)) wanted.push(c);
    tagPieces(text, wanted).forEach((toks, k) => lexicons.set(wanted[k].start, new Lexicon('', 0, toks)));
  }
  // a lone Chinese numeral inside an ordinary word (四川, 唯一, 一度) is no number: ask jieba
  const guard = (start: number, end: number) => {
    if (!sentences.length) return false;
    const t = lexAt(start).at(start);
    return !!t && t.end - t.start >= end - start && !ALLOWED_IN_NUMERAL_WORDS.has(t.tag) && /[^0-9.]/.test(t.word);
  };
  const expressions = sentences.length ? scanner.scan(text, guard) : [];
  const nonfactSpans = findNonfactSpans(text, R);
  const nonfacts = new NonfactIndex(nonfactSpans);

  // pushed, not map()ped: map() makes a packed array when optimized code inlines it and a
  // holey one when it does not, and reading an array of the other kind sent this whole
  // function back to the interpreter for the rest of the document (25 times in 1,800 documents)
  const decisions: Decision[] = [];
  for (let i = 0; i < expressions.length; i++) {
    const e = expressions[i];
    decisions.push(decideFact(e, text, nonfacts, R, clauseAt(sentenceOf(e.start), e.start).start));
  }
  const blocked = insideAny(expressions);
  const counted = insideAny(expressions.filter((x) => x.form !== 'time' && x.unit));
  const entities = findEntities(text, R, blocked, lexAt, counted);
  const times = expressions.filter((e) => e.form === 'time');
  // (one pattern's matches: in order of start)
  const listMarkers = nonfactSpans.filter((n) => n.id === 'nonfact.list-marker');

  // names of places and named organisations (not phrases like 国家重点实验室): a phrase that is only a name is no metric
  const named = entities.mentions.filter((m) => m.type !== 'org' || m.named);
  const names = new Set(named.map((m) => (m.type === 'ref' ? m.name : text.slice(m.start, m.end))));
  for (const m of named) if (m.type !== 'ref') names.add(m.name);
  const notMetrics = new Set(R.data.metrics.not_metrics);
  const levelAfterChange = new Set(R.data.metrics.level_after_change);
  const pending: Pending[] = [];
  let brackets: Brackets | null = null;
  let topic: string | null = null;
  let next = 0;
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si];
    const inSentence: number[] = [];
    while (next < expressions.length && expressions[next].start < s.end) {
      if (expressions[next].start >= s.start && decisions[next].fact) inSentence.push(next);
      next++;
    }
    if (inSentence.length) {
      const candidates = timeCandidates(text, s.start, s.end, times, nonfacts, R);
      const cues = modalityCues(text, s.start, s.end, R);
      // (mentions, times and expressions are sorted by start: each is looked up from where the sentence starts)
      const skippable: Span[] = [];
      const mentions = entities.mentions;
      let k = firstFrom(mentions, s.start);
      if (k > 0 && mentions[k - 1].end > s.start) k--;
      for (; k < mentions.length && mentions[k].start < s.end; k++) skippable.push({ start: mentions[k].start, end: mentions[k].end });
      for (k = firstFrom(times, s.start); k < times.length && times[k].start < s.end; k++) if (times[k].end <= s.end) skippable.push({ start: times[k].start, end: times[k].end });
      // the numbering of a list item (1. （二） 三、 一是) opens no metric
      for (k = firstFrom(listMarkers, s.start); k < listMarkers.length && listMarkers[k].start < s.end; k++) {
        const n = listMarkers[k];
        if (n.end <= s.end) skippable.push({ start: n.start, end: n.end });
      }
      // facts and times are never part of a metric; other numbers may be (第一产业增加值, 三次产业),
      // but an ordinal count with its measure word is not (成为重庆市第一个突破…)
      const ordinalCount = (x: Expression) => x.form === 'ordinal' && /^[个個位名次批届]/u.test(text.slice(x.end, x.end + 1));
      const figures: Span[] = [];
      for (k = firstFrom(expressions, s.start); k < expressions.length && expressions[k].start < s.end; k++) {
        const x = expressions[k];
        if (x.end > s.end) continue;
        if (decisions[k].fact || x.form === 'time' || ordinalCount(x)) figures.push({ start: x.start, end: ordinalCount(x) ? x.end + 1 : x.end });
      }
      // a name after a verb of its clause is an object (认定为重庆市新型研发机构), not the subject;
      // verbs inside a modifier ending in 的 (位于龙溪街道的威瑞众创空间) do not count;
      // a name after a preposition of the figure's own clause is a place or a set (在…产业园区…榜单中名列第四位)
      // (asked for each name before each figure: kept per name, and in the figure's clause or not)
      const objectPositions = new Map<number, boolean>();
      const objectPosition = (m: { start: number }, factStart: number) => {
        const c = clauseAt(si, m.start);
        const sameClause = c.start === clauseAt(si, factStart).start;
        const key = 2 * m.start + (sameClause ? 1 : 0);
        let found = objectPositions.get(key);
        if (found === undefined) objectPositions.set(key, (found = wordBeforeMakesObject(lexAt(m.start), m.start, c.start, sameClause)));
        return found;
      };
      const here: Pending[] = [];
      for (const idx of inSentence) {
        const e = expressions[idx];
        const clause = clauseAt(si, e.start);
        const prev = here[here.length - 1];
        let prevInClause = prev && prev.clause.start === clause.start ? prev : null;
        let windowStart = prevInClause ? Math.max(clause.start, prevInClause.e.after) : clause.start;
        // 连续四年第一: a streak before a figure does not cut the figure off from its phrase
        if (prevInClause && prevInClause.e.unitClass === 'time' && e.before - prevInClause.e.after <= 2) {
          windowStart = prevInClause.windowStart;
          prevInClause = null;
        }
        const kind = decideKind(e, text, windowStart, R, prevInClause ? { kind: prevInClause.kind.kind, direction: prevInClause.kind.direction, end: prevInClause.e.after } : null);
        const year = yearFor(text, e, candidates, R, pubYear);
        const modality = modalityFor(e, cues, year.year, pubYear);
        const subject = subjectFor(text, entities, s.start, e.before, topic, (m) => objectPosition(m, e.start));
        const metric = ownMetric(e, kind.kind, windowStart, clause.end, { text, lex: lexAt(e.start), R, skippable, figures: figures.filter((f) => f.start !== e.start), names, notMetrics, scope: kind.scope });
        here.push({ e, decision: decisions[idx], sentence: si, clause, windowStart, kind, metric, subject, year, modality, finalMetric: metric.metric, doubts: [], rules: [] });
      }
      linkMetrics(here, text, levelAfterChange, (brackets ??= Brackets.of(text)));
      for (const p of here) {
        // 经济总量在全国178家国家级高新区中排名第5位: what is ranked stands before 在…中, and the set it is ranked in is the scope;
        // 在全市科技竞争力排行中…第一: unless the set is itself a ranking
        if (p.kind.kind === 'rank') {
          const m = RANKED_IN.exec(text.slice(p.clause.start, p.e.start));
          if (m) {
            const within = m[2];
            const before = stripNames(m[1], p.clause.start, entities.mentions);
            if (RANKING_WORD.test(within)) {
              p.finalMetric = within;
              p.kind.scope = R.scopes.find((sc) => within.startsWith(sc)) ?? p.kind.scope;
            } else {
              p.kind.scope = within;
              if (before) p.finalMetric = before;
            }
            p.rules.push('metric.ranked-in');
          }
        }
        // 据…区县科技竞争力排名，渝北近3年连续居第一: a rank without a phrase takes the ranking named before it
        if (p.kind.kind === 'rank' && (!p.finalMetric || p.metric.inherit && !p.rules.includes('metric.inherited'))) {
          const r = rankingBefore(text, s.start, p.e.start, R);
          if (r) {
            p.finalMetric = r;
            p.rules.push('metric.ranking');
          }
        }
      }
      pending.push(...here);
    }
    // what the text is about carries to sentences that name nothing
    for (const c of clauses(si)) {
      const t = clauseTopic(text, entities, c.start, c.end);
      if (t) topic = t;
    }
    const body = text.slice(s.start, s.end);
    if (!TERMINAL.test(body) && body.length <= 30) topic = null; // a heading starts a new topic
    // a new paragraph starts a new topic unless it opens by pointing back (这个, 该, 其, 公司…)
    const nextSentence = sentences[si + 1];
    if (nextSentence && text.slice(s.end, nextSentence.start).includes('\n') && !CONTINUES.test(text.slice(nextSentence.start, nextSentence.start + 4))) topic = null;
  }

  const version = extractorVersion(R.data);
  const facts: Fact[] = [];
  for (const p of pending) facts.push(toFact(p, clean, original, sentences, doc, hash, version, R));
  return new Extraction(doc, hash, facts, clean, original, expressions, decisions);
}

/**
 * What extractDocument returns. A class, not an object literal with a getter: V8 makes
 * such a literal a slow (dictionary) object through its runtime, and the document's data
 * the getter closed over then outlived young-generation collections until a full one.
 * Measured: the old generation grew 220 KB per document between full collections, and
 * 10.7% of what extraction allocated was promoted there (3.1% with the class).
 */
class Extraction implements DocumentResult {
  private records: ExpressionRecord[] | null = null;
  constructor(
    readonly doc: string,
    readonly sha256: string,
    readonly facts: Fact[],
    readonly clean: CleanText,
    private readonly original: string,
    private readonly found: Expression[],
    private readonly decisions: Decision[],
  ) {}

  // built when asked for (parse --all, evaluation): a batch run stores only the facts;
  // digits inside a web address are not numbers in the text
  get expressions(): ExpressionRecord[] {
    const { found, decisions, clean, original, doc } = this;
    return (this.records ??= found.flatMap((e, k) => (decisions[k].rule === 'nonfact.url' ? [] : [toExpressionRecord(e, decisions[k], clean, original, doc)])));
  }
}

/** the numerals but 一, by character code, for the clause-worth-tagging test */
const interestingCache = new WeakMap<CompiledRules, Uint8Array>();
const YI = '一'.charCodeAt(0);

/** A clause worth tagging: it holds a numeral or ends a word like an organisation's name. */
function interesting(text: string, c: Span, R: CompiledRules): boolean {
  let numeral = interestingCache.get(R);
  if (!numeral) interestingCache.set(R, (numeral = charTable([...'0123456789', ...[...R.numeralChars].filter((ch) => ch !== '一')])));
  // a lone 一 (一批, 一是, 统一) never makes a fact alone, so it alone is no reason to tag a clause
  for (let i = c.start; i < c.end; i++) {
    const code = text.charCodeAt(i);
    if (numeral[code] === 1) return true;
    if (code === YI && i + 1 < c.end && numeral[text.charCodeAt(i + 1)] === 1) return true;
  }
  return orgSuffixes(R).anyWithin(text, c.start, c.end);
}

const RANKED_IN = /^(.*?)在(.{2,24}?)(?:中|里|内|之中)(?:的)?(?:连续[^，,。]{0,6}?)?(?:排名|排行|排位|排|居|位居|位列|名列|列|稳居)?[^，,。在]{0,4}$/u;
const RANKING_WORD = /排名|排行|榜|指数|评价|评比|竞争力/u;

/** A phrase without the names at its start (渝北经济总量 → 经济总量). */
function stripNames(phrase: string, at: number, mentions: { start: number; end: number }[]): string {
  let start = at;
  const end = at + phrase.length;
  for (const m of mentions) if (m.start === start && m.end <= end) start = m.end;
  return phrase.slice(start - at).replace(/^[，,、\s]+/u, '').trim();
}

/** A position test against sorted, non-overlapping spans, by binary search. */
function insideAny(spans: { start: number; end: number }[]): (p: number) => boolean {
  return (p) => {
    let lo = 0, hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].end <= p) lo = mid + 1;
      else if (spans[mid].start > p) hi = mid - 1;
      else return true;
    }
    return false;
  };
}

const CONJ = /^[和与及、,，]*(?:以及)?$/u;

/** Coordinated figures get their own parts of a shared phrase; changes, shares and ranks inherit. */
function linkMetrics(here: Pending[], text: string, levelAfterChange: ReadonlySet<string>, brackets: Brackets) {
  // groups of coordinated figures: 分别达到58524家和7565家
  const groups: Pending[][] = [];
  for (const p of here) {
    const g = groups[groups.length - 1];
    const last = g?.[g.length - 1];
    if (last && last.clause.start === p.clause.start && CONJ.test(text.slice(last.e.after, p.e.before))) g.push(p);
    else groups.push([p]);
  }
  for (let gi = 0, groupStart = 0; gi < groups.length; groupStart += groups[gi].length, gi++) {
    const g = groups[gi];
    if (g.length > 1 && g[0].metric.left) {
      const parts = splitCoordinated(g[0].metric.left.replace(/分别$/, ''), g.length);
      if (parts) g.forEach((p, k) => {
        p.finalMetric = parts[k];
        p.rules.push('metric.coordinated');
      });
    }
    for (let k = 0; k < g.length; k++) {
      const p = g[k];
      if (p.rules.includes('metric.coordinated') || !(p.metric.inherit || (k > 0 && !p.metric.metric))) continue;
      // pairwise from the group before (同比增加36.1%和19.2%), or, after 分别, from as many figures before it
      let before = groups[gi - 1];
      if (g.length > 1 && (!before || before.length !== g.length) && /分别[^，,。]{0,6}$/u.test(text.slice(Math.max(0, g[0].e.before - 10), g[0].e.before))) {
        const earlier = here.slice(0, groupStart).filter((q) => q.kind.kind === 'amount' && q.finalMetric);
        if (earlier.length >= g.length) before = earlier.slice(-g.length);
      }
      if (g.length > 1 && before && before.length === g.length && before[k].finalMetric) {
        p.finalMetric = before[k].finalMetric;
        p.rules.push('metric.inherited');
        p.doubts.push(`metric taken from ${before[k].e.start === p.e.start ? 'itself' : 'the figure before'}`);
        continue;
      }
      // the figures before p, nearest first, but asides in brackets: the nearest, the nearest with a
      // metric, and the nearest amount with one (walked back only as far as needed: a sentence
      // listing thousands of figures must not cost thousands of steps for each)
      let prev: Pending | undefined, withMetric: Pending | undefined, amount: Pending | undefined;
      for (let j = groupStart + k - 1; j >= 0; j--) {
        const q = here[j];
        if (brackets.aside(q, p)) continue;
        prev ??= q;
        if (!q.finalMetric) continue;
        withMetric ??= q;
        if (q.e.unitClass !== 'time' && q.kind.kind === 'amount') {
          amount = q;
          break;
        }
      }
      // 下降12%至235亿元: the level a change led to measures what the change measures
      const level = prev?.finalMetric && prev.clause.start === p.clause.start && prev.kind.kind === 'change' && levelAfterChange.has(text.slice(prev.e.after, p.e.before).trim());
      const src = level ? prev : amount ?? withMetric;
      if (src) {
        p.finalMetric = src.finalMetric;
        p.rules.push('metric.inherited');
        p.doubts.push('metric taken from the figure before');
      } else if (!p.finalMetric && p.metric.left) {
        // nothing before to take it from: the figure's own words, even a general one (排名上升了11位 → 排名)
        p.finalMetric = p.metric.generic ?? null;
      }
    }
  }
}

/** Walking back from a name to the start of its clause: a verb, or a preposition of the figure's own clause, makes it an object. */
function wordBeforeMakesObject(lex: Lexicon, at: number, clauseStart: number, sameClause: boolean): boolean {
  const toks = lex.all();
  for (let k = lex.endingBy(at) - 1; k >= 0; k--) {
    const t = toks[k];
    if (t.start < clauseStart || t.word === '的') return false;
    if (/^v[dgi]?$/.test(t.tag) && !/^(?:据|截至|截止)/.test(t.word)) return true;
    if (sameClause && t.tag === 'p' && /^(?:在|于|从|对|向|为|按|以|经|由)$/.test(t.word)) return true;
  }
  return false;
}

/** Where a document's brackets are, to ask which figures are asides: by binary search, not by scanning the text. */
class Brackets {
  private constructor(
    private readonly opens: number[],
    private readonly closes: number[],
  ) {}

  static of(text: string): Brackets {
    const opens: number[] = [];
    const closes: number[] = [];
    for (const m of text.matchAll(/[()]/g)) (m[0] === '(' ? opens : closes).push(m.index!);
    return new Brackets(opens, closes);
  }

  /**
   * 408个(含国家级6个): a figure in brackets that closed before p is an aside, not what p continues.
   * The last bracket before q opens, inside q's clause, and one closes after q, before p.
   */
  aside(q: Pending, p: Pending): boolean {
    const open = this.opens[firstAtOrAfter(this.opens, q.e.start) - 1] ?? -1;
    const lastClose = this.closes[firstAtOrAfter(this.closes, q.e.start) - 1] ?? -1;
    if (open < q.clause.start || lastClose > open) return false;
    const close = this.closes[firstAtOrAfter(this.closes, q.e.end)];
    return close !== undefined && close < p.e.start;
  }
}

function toFact(p: Pending, clean: CleanText, original: string, sentences: Span[], doc: string, hash: string, version: string, R: CompiledRules): Fact {
  const e = p.e;
  const [s16, e16] = clean.map.toOriginalUtf16(e.start, e.end);
  const start = clean.map.utf16ToCodePoint(s16);
  const end = clean.map.utf16ToCodePoint(e16);
  const sent = sentences[p.sentence];
  const [ss, se] = clean.map.toOriginal(sent.start, sent.end);
  let unit = e.unit;
  const doubts = [...p.doubts];
  // each rule once: the one that made the figure a fact is often its unit's rule (unit.count), already listed
  const rules: string[] = [];
  const add = (r: string | null | undefined) => {
    if (r && !rules.includes(r)) rules.push(r);
  };
  for (const r of e.rules) add(r);
  add(p.decision.rule);
  if (!unit && p.decision.rule === 'fact.magnitude' && impliedCurrency(p.finalMetric, R)) {
    unit = '元';
    add('metric.implied-currency');
    doubts.push('currency implied by the metric');
  }
  for (const r of [p.kind.rule, p.year.rule, p.modality.rule, p.subject.rule, p.metric.rule, ...p.rules]) add(r);
  let confidence = 0.95;
  const lower = (by: number, why: string) => {
    confidence -= by;
    doubts.push(why);
  };
  if (e.chinese && e.form === 'number') lower(0.05, 'written in Chinese numerals');
  if (!unit) lower(0.1, 'no unit printed');
  if (p.kind.rule === 'kind.coordinated') lower(0.03, 'kind taken from the coordinated figure');
  if (!p.finalMetric) lower(0.3, 'no metric found');
  else if (p.finalMetric.length > 16) lower(0.05, 'long metric phrase');
  if (p.rules.includes('metric.inherited')) confidence -= 0.05;
  if (p.subject.how === 'topic') lower(0.1, 'subject carried from an earlier sentence');
  else if (p.subject.how === 'article') lower(0.05, 'subject is what the article is about');
  else if (p.subject.how === 'none') lower(0.3, 'no subject found');
  if (p.year.rule?.startsWith('time.relative') && p.year.year === null) lower(0.05, 'relative year without a publication date');
  if (p.kind.kind === 'rank' && !p.kind.scope) lower(0.05, 'rank without a scope');
  if (p.modality.rule === 'modality.planned.will' || p.modality.rule === 'modality.planned.shall') lower(0.05, 'plan read from 将/要');
  confidence = Math.max(0.05, Math.min(1, Math.round(confidence * 100) / 100));
  return {
    id: `${hash.slice(0, 16)}:${start}-${end}`,
    doc,
    start,
    end,
    quote: original.slice(s16, e16),
    value: e.range ? null : e.value,
    min: e.range ? e.min : null,
    max: e.range ? e.max : null,
    unit: e.form === 'ordinal' || e.form === 'top' ? null : unit,
    kind: p.kind.kind as Kind,
    qualifier: e.qualifier,
    modality: p.modality.modality,
    year: p.year.year,
    time_text: p.year.timeText,
    subject: p.subject.subject,
    metric: p.finalMetric,
    scope: p.kind.kind === 'share' || p.kind.kind === 'rank' ? p.kind.scope : null,
    direction: p.kind.kind === 'change' ? p.kind.direction : null,
    confidence,
    sentence: clean.text.slice(sent.start, sent.end),
    sentence_start: ss,
    sentence_end: se,
    rule: p.decision.rule,
    rules,
    doubts,
    sha256: hash,
    extractor_version: version,
  };
}

function toExpressionRecord(e: Expression, d: Decision, clean: CleanText, original: string, doc: string): ExpressionRecord {
  const [s16, e16] = clean.map.toOriginalUtf16(e.start, e.end);
  const time = e.time ? { ...e.time } : null;
  return {
    doc,
    start: clean.map.utf16ToCodePoint(s16),
    end: clean.map.utf16ToCodePoint(e16),
    quote: original.slice(s16, e16),
    value: e.range ? null : e.form === 'time' && time ? (e.range ? null : time.value) : e.value,
    min: e.range ? (time?.min ?? e.min) : null,
    max: e.range ? (time?.max ?? e.max) : null,
    unit: e.unit,
    qualifier: e.qualifier,
    kind: e.kind,
    form: e.form,
    time,
    fact: d.fact,
    reason: d.fact ? null : d.rule,
    rules: e.rules,
  };
}
