// Who an article talks about: regions (from the gazetteer), organisations
// (found by their suffixes, with the name read back over jieba's words),
// short names the article declares, and references (全区, 该公司) that
// resolve to what the article is about or to the organisation last named.
import { WordTable, type CompiledRules } from '../rules/compile.js';
import { Lexicon, token, type Token } from '../nlp/jieba.js';
import { getGazetteer, type Region } from './regions.js';

export interface Mention {
  start: number;
  end: number;
  type: 'region' | 'org' | 'ref';
  /** canonical name: the region's or organisation's fullest form; for references the word itself */
  name: string;
  region?: Region;
  orgKind?: string;
  refersTo?: string;
  /** an organisation with a proper name (金凤实验室), not a common noun (企业技术中心) */
  named?: boolean;
  rule: string;
}

export interface Focus {
  district: Region | null;
  city: Region | null;
  province: Region | null;
  /** what the article is about when nothing closer is said */
  main: string | null;
}

export class ArticleEntities {
  constructor(
    readonly mentions: Mention[],
    readonly focus: Focus,
    readonly aliases: Map<string, string>,
  ) {}

  /** The subject a mention stands for at its position, in its fullest form. */
  resolve(m: Mention): string | null {
    if (m.type !== 'ref') return m.name;
    switch (m.refersTo) {
      case 'district':
      case 'county':
        return this.focus.district?.name ?? this.focus.main;
      case 'city':
        return this.focus.city?.name ?? this.focus.main;
      case 'province':
        return this.focus.province?.name ?? this.focus.main;
      case 'org': {
        // the organisation last named whose name ends like the reference (该中心 → …技术创新中心), else of that kind
        const word = m.name.replace(/^(?:该|这家|这个|此|本)/u, '');
        // read back from the reference, not copied and filtered (a copy per reference made long documents quadratic)
        const at = this.mentions.indexOf(m);
        let ofKind: Mention | null = null;
        for (let k = (at < 0 ? this.mentions.length - 1 : at) - 1; k >= 0; k--) {
          const o = this.mentions[k];
          if (o.type !== 'org' || !o.named) continue;
          if (o.name.endsWith(word)) return o.name;
          if (!ofKind && (!m.orgKind || o.orgKind === m.orgKind)) ofKind = o;
        }
        return ofKind?.name ?? null;
      }
      default:
        return this.focus.main;
    }
  }
}

interface OrgSuffix {
  kind: string;
  id: string;
}

interface Compiled {
  /** organisation suffixes (公司, 实验室), looked up where they start, with the kind and rule of each */
  orgSuffixes: WordTable<OrgSuffix>;
  refs: { word: string; refersTo: string; orgKind?: string; id: string; notFollowedBy: RegExp | null }[];
  /** the reference words, each with its index in refs */
  refWords: WordTable<number>;
  shortName: RegExp[];
  stopWords: Set<string>;
  stopTags: Set<string>;
  prefixDrop: string[];
}

const compiledFor = new WeakMap<CompiledRules, Compiled>();

function compiled(R: CompiledRules): Compiled {
  let c = compiledFor.get(R);
  if (c) return c;
  const s = R.data.subjects;
  // a word listed under two kinds takes the last (one entry per word in the table)
  const orgKind = new Map<string, OrgSuffix>();
  for (const o of s.org_suffixes) for (const w of o.words) orgKind.set(w, { kind: o.kind, id: o.id });
  c = {
    orgSuffixes: new WordTable<OrgSuffix>(),
    refs: s.references
      .flatMap((r) => r.words.map((w) => ({ word: w, refersTo: r.refers_to, orgKind: r.org_kind, id: r.id, notFollowedBy: r.not_followed_by ? new RegExp(`^(?:${r.not_followed_by})`, 'u') : null })))
      .sort((a, b) => b.word.length - a.word.length),
    refWords: new WordTable<number>(),
    shortName: s.short_name_patterns.map((p) => new RegExp(p, 'gu')),
    stopWords: new Set(s.org_name_stop_words),
    stopTags: new Set(s.org_name_stop_tags),
    prefixDrop: [...s.org_name_prefix_drop].sort((a, b) => b.length - a.length),
  };
  c.refs.forEach((r, k) => c!.refWords.add(r.word, k));
  for (const [w, kind] of orgKind) c.orgSuffixes.add(w, kind);
  compiledFor.set(R, c);
  return c;
}

const PROPER_TAGS = new Set(['ns', 'nr', 'nrt', 'nrfg', 'nrf', 'nz', 'nt', 'x', 'eng', 'j']);

/** Read an organisation name back from its suffix over jieba's words; also tells whether it holds a proper name. */
function nameBefore(text: string, suffixStart: number, C: Compiled, blocked: (p: number) => boolean, lexAt: (p: number) => Lexicon): { start: number; named: boolean } {
  const from = Math.max(0, suffixStart - 24);
  // the words before the suffix; a word running into the suffix (威瑞众|创空间) is cut at it
  const toks: Token[] = [];
  for (const t of suffixStart > 0 ? lexAt(suffixStart - 1).all() : []) {
    if (t.end <= from || t.start >= suffixStart) continue;
    // a word running into the suffix is cut at it; an organisation-type word (上市公司/nt) lends its part no proper-name tag
    if (t.end > suffixStart) toks.push(token(text.slice(t.start, suffixStart), t.tag === 'nt' ? 'n' : t.tag, t.start, suffixStart));
    else toks.push(t);
  }
  let start = suffixStart;
  let named = false;
  for (let k = toks.length - 1; k >= 0; k--) {
    const t = toks[k];
    const abs = t.start;
    if (abs < from) break;
    if (C.stopWords.has(t.word) || C.stopTags.has(t.tag)) break;
    // jieba sometimes glues a preposition to the next character (对来/x): no name starts inside such a word
    if (t.tag === 'x' && t.word.length > 1 && /^[对在从向与和及为被把将给让由]/u.test(t.word)) break;
    if (!/^[\p{Script=Han}A-Za-z0-9()（）·&]+$/u.test(t.word)) break;
    if (/^\d+$/.test(t.word) && k === toks.length - 1) break;
    if (blocked(abs)) break;
    start = abs;
  }
  // a name does not open with a verb (累计孵化创新创业公司 → 创业公司)
  const inside = toks.filter((t) => t.start >= start);
  let k = 0;
  while (k < inside.length - 1 && /^v[dgi]?$/.test(inside[k].tag)) k++;
  if (k > 0) start = inside[k].start;
  for (const t of inside.slice(k)) if (PROPER_TAGS.has(t.tag) || /[A-Za-z]/.test(t.word)) named = true;
  return { start, named };
}

/** Words of the text around a position; by default the text is tagged in pieces of at most a line. */
function defaultLexicons(text: string): (p: number) => Lexicon {
  const cache = new Map<number, Lexicon>();
  return (p) => {
    const s = Math.max(text.lastIndexOf('\n', p) + 1, p - 60);
    const e0 = text.indexOf('\n', p);
    const e = e0 < 0 ? text.length : e0;
    let l = cache.get(s);
    if (!l) cache.set(s, (l = new Lexicon(text.slice(s, e), s)));
    return l;
  };
}

/**
 * `blocked(p)`: p is inside a number (names never run into one);
 * `counted(p)`: p is inside a counted figure (16个高新区 names a kind of place, not a place).
 */
export function findEntities(
  text: string,
  R: CompiledRules,
  blocked: (p: number) => boolean = () => false,
  lexAt: (p: number) => Lexicon = defaultLexicons(text),
  counted: (p: number) => boolean = blocked,
): ArticleEntities {
  const C = compiled(R);
  const gaz = getGazetteer(R);
  const mentions: Mention[] = [];

  // regions, short district forms only where the article's province has them
  const hits = gaz.find(text);
  const provinceWeight = new Map<string, number>();
  for (const h of hits) {
    // which province the article is in is decided by forms that cannot be an ordinary word:
    // full names, and short names of cities and provinces (渝北区, 重庆), not 新建 or 比如
    if (h.alternatives.length || h.weak) continue;
    if (h.short && (h.region.level === 'district' || h.region.level === 'county')) continue;
    const p = h.region.province;
    if (p) provinceWeight.set(p, (provinceWeight.get(p) ?? 0) + (h.short ? 1 : 2));
  }
  const dominant = mostCounted(provinceWeight)?.[0] ?? null;
  for (const h of hits) {
    // 16个高新区: a place counted by a figure is a kind of place, not one place
    if (counted(h.start - 1)) continue;
    let region = h.region;
    if (h.alternatives.length && dominant) region = [h.region, ...h.alternatives].find((r) => r.province === dominant) ?? region;
    if (h.short && (region.level === 'district' || region.level === 'county' || h.weak) && region.province !== dominant) continue;
    mentions.push({ start: h.start, end: h.end, type: 'region', name: region.name, region, rule: h.short ? 'subject.region.short' : 'subject.region' });
  }

  // organisations by suffix: the longest suffix at each place, the search going on after it
  // (as a regular expression of the suffixes, longest first, would find them; a word table
  // looks them up where they start instead of trying 60 alternatives at every character)
  for (let i = 0, next = 0; i < text.length; i = next) {
    const here = C.orgSuffixes.startingAt(text, i);
    if (!here.length) {
      next = i + 1;
      continue;
    }
    const { word: suffix, value: kind } = here[0];
    const suffixStart = i;
    const end = i + suffix.length;
    next = end;
    const found = nameBefore(text, suffixStart, C, blocked, lexAt);
    let start = found.start;
    let name = text.slice(start, end);
    for (const w of C.prefixDrop) if (name.startsWith(w)) {
      start += w.length;
      name = name.slice(w.length);
    }
    if (start >= suffixStart - 1) continue; // no name of two characters or more: a plain noun or a reference
    if (counted(start - 1)) continue; // 4家合作银行: a thing counted by a figure, not an organisation
    // 渝北仙桃数据谷 → 仙桃数据谷: a place inside a district is named without it (the mention still
    // covers the district, so a metric does not start with it)
    if (kind.kind === 'park') {
      const lead = gaz.find(name, 0, Math.min(name.length, 6))[0];
      if (lead && lead.start === 0 && name.length - lead.end >= 4 && lead.region.level !== 'zone' && (!dominant || lead.region.province === dominant || [lead.region, ...lead.alternatives].some((r) => r.province === dominant))) {
        name = name.slice(lead.end);
      }
    }
    // 有限公司 names are legal names; others need a proper name in them to be an organisation at all
    const named = found.named || /有限公司|股份|集团/.test(suffix) || gaz.find(name).some((h) => !h.weak && (!dominant || h.region.province === dominant));
    mentions.push({ start, end, type: 'org', name, orgKind: kind.kind, named, rule: kind.id });
  }

  // references: 全区, 我市, 该公司. One pass over the text (not one search per word), each
  // word's places kept apart so that they go in as a search per word would put them:
  // word by word, each word's places in order, a place not overlapping the word's last
  const refAt: number[][] = [];
  for (let k = 0; k < C.refs.length; k++) refAt.push([]);
  for (let p = 0; p < text.length; p++) {
    const here = C.refWords.startingAt(text, p);
    for (let e = 0; e < here.length; e++) {
      const places = refAt[here[e].value];
      if (!places.length || places[places.length - 1] + here[e].word.length <= p) places.push(p);
    }
  }
  for (let k = 0; k < C.refs.length; k++) {
    const r = C.refs[k];
    for (const p of refAt[k]) {
      const from = p + r.word.length;
      if (r.notFollowedBy && r.notFollowedBy.test(text.slice(from, from + 6))) continue;
      mentions.push({ start: p, end: from, type: 'ref', name: r.word, refersTo: r.refersTo, orgKind: r.orgKind, rule: r.id });
    }
  }

  // a name the article repeats, and uses at least once to open what it says, is a name even without
  // a proper noun in it (仙桃国际大数据谷); a common phrase repeated as an object is not (…等国家技术创新中心)
  const seen = new Map<string, number>();
  const opens = new Set<string>();
  for (const m of mentions) {
    if (m.type !== 'org') continue;
    seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
    const lead = text.slice(Math.max(0, m.start - 6), m.start);
    if (/(?:^|[\n。！？；;，,：:“”"])(?:目前|如今|同时|此外|其中|在|据介绍)?$/u.test(lead)) opens.add(m.name);
  }
  for (const m of mentions) if (m.type === 'org' && !m.named && (seen.get(m.name) ?? 0) >= 2 && opens.has(m.name)) m.named = true;

  let kept = dropOverlaps(mentions);

  // declared short names: 重庆再升科技股份有限公司(以下简称“再升科技”)
  const aliases = new Map<string, string>();
  for (const re of C.shortName) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const short = m[1];
      const owner = kept.find((x) => x.type === 'org' && x.end >= m!.index - 1 && x.end <= m!.index);
      let full = owner?.name;
      if (!full) {
        const { start } = nameBefore(text, m.index, C, blocked, lexAt);
        if (start < m.index - 1) full = text.slice(start, m.index);
      }
      if (full && full !== short) {
        aliases.set(short, full);
        if (!owner) {
          const start = m.index - full.length;
          kept.push({ start, end: m.index, type: 'org', name: full, orgKind: 'company', named: true, rule: 'subject.declared' });
        }
      }
    }
  }
  if (aliases.size) {
    const extra: Mention[] = [];
    for (const [short, full] of aliases) {
      const kind = kept.find((x) => x.type === 'org' && x.name === full)?.orgKind ?? 'company';
      let from = 0;
      for (;;) {
        const p = text.indexOf(short, from);
        if (p < 0) break;
        from = p + short.length;
        extra.push({ start: p, end: from, type: 'org', name: full, orgKind: kind, named: true, rule: 'subject.alias' });
      }
    }
    kept = dropOverlaps([...kept, ...extra]);
  }

  return new ArticleEntities(kept, focusOf(kept), aliases);
}

/** The organisation suffixes of the rules (公司, 实验室) as a word table. */
export function orgSuffixes(R: CompiledRules): WordTable<OrgSuffix> {
  return compiled(R).orgSuffixes;
}

/** Longest first; a mention inside a longer one is dropped. */
function dropOverlaps(list: Mention[]): Mention[] {
  const sorted = [...list].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: Mention[] = [];
  // the characters taken so far, marked: a look-up per character of a mention instead of a
  // comparison with every mention taken (hundreds in a long article). A mention of no
  // characters names nothing and is dropped.
  let end = 0;
  for (const m of list) if (m.end > end) end = m.end;
  const used = new Uint8Array(end);
  for (const m of sorted) {
    if (m.end <= m.start) continue;
    let free = true;
    for (let p = m.start; p < m.end && free; p++) if (used[p] === 1) free = false;
    if (!free) continue;
    used.fill(1, m.start, m.end);
    taken.push(m);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** The entry with the highest count, the first of them in the map's order (as a stable sort would put first). */
function mostCounted<K>(counts: Map<K, number>): [K, number] | undefined {
  let top: [K, number] | undefined;
  for (const e of counts) if (!top || e[1] > top[1]) top = e;
  return top;
}

function focusOf(mentions: Mention[]): Focus {
  const count = new Map<Region, number>();
  for (const m of mentions) if (m.type === 'region' && m.region) count.set(m.region, (count.get(m.region) ?? 0) + 1);
  const best = (levels: string[]): Region | null =>
    [...count.entries()].filter(([r]) => levels.includes(r.level)).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const refCount = (to: string) => mentions.filter((m) => m.type === 'ref' && m.refersTo === to).length;
  let district = best(['district', 'county']);
  const cityMentions = best(['city']);
  // an article mentioning a district once while talking about the city throughout is about the city
  if (district && (count.get(district) ?? 0) < 2 && refCount('district') === 0) district = null;
  // a county-level city (义乌市, 昆山市) is a district in the data but a city to its own press: its 全市 and 我市 are itself
  const countyCity = district && district.name.endsWith('市') ? district : null;
  const city: Region | null = countyCity ?? (district?.city ? { name: district.city, level: 'city', city: district.city, province: district.province } : (cityMentions ?? provinceAsCity(best(['province']))));
  const province = best(['province']);
  let main = district?.name ?? city?.name ?? province?.name ?? null;
  // an article about a company names it more often than any place: then the company is what it is about
  const orgCount = new Map<string, number>();
  for (const m of mentions) if (m.type === 'org' && m.named) orgCount.set(m.name, (orgCount.get(m.name) ?? 0) + 1);
  for (const m of mentions) if (m.type === 'ref' && m.refersTo === 'org' && m.orgKind === 'company') {
    const top = mostCounted(orgCount);
    if (top) orgCount.set(top[0], top[1] + 1);
  }
  const topOrg = mostCounted(orgCount);
  const countOf = (r: Region | null) => (r ? count.get(r) ?? 0 : 0);
  const placeCount = Math.max(countOf(district), countOf(city), countOf(province), 0);
  if (topOrg && topOrg[1] >= 3 && topOrg[1] > 2 * placeCount) main = topOrg[0];
  return { district, city, province, main };
}

function provinceAsCity(p: Region | null): Region | null {
  return p && p.name.endsWith('市') ? p : null;
}
