// The subject of a fact: the nearest region or organisation named before it
// in its sentence; failing that, the topic the text is on (the last entity
// that opened a clause); failing that, what the article is about.
import { firstFrom } from '../text/segment.js';
import type { ArticleEntities, Mention } from './entities.js';

export interface SubjectResult {
  subject: string | null;
  rule: string;
  /** how the subject was found, for the confidence */
  how: 'sentence' | 'topic' | 'article' | 'none';
}

// a region right after these is the whole a share or rank is measured against, not the subject
const SCOPE_BEFORE = /(?:占|占到|居|位居|位列|名列|排名|排在|高于|低于|比|较|超过|相当于|在)$/u;
const SCOPE_AFTER = /^(?:的)?(?:第|前\d|前[一二三四五六七八九十]|排名|排行|平均|同期|水平|比重)/u;

export function isScopeUse(text: string, m: Mention): boolean {
  if (m.type === 'org') return false;
  const before = text.slice(Math.max(0, m.start - 3), m.start);
  const after = text.slice(m.end, m.end + 4);
  if (m.type === 'ref' && (m.refersTo === 'city' || m.refersTo === 'province') && SCOPE_BEFORE.test(before)) return true;
  if (m.type !== 'ref' && /(?:占|高于|低于|比|较|相当于)$/u.test(before)) return true;
  return SCOPE_AFTER.test(after);
}

// after these a name is an object or a partner (与香港理工大学合作), before 等 it is an example
const PARTNER_BEFORE = /(?:与|和|同|跟|向|对|为|给|联合|携手|帮助|服务|支持|对接|通过|依托|及)$/u;
const EXAMPLE_AFTER = /^(?:等|、)/u;

/** Whether a mention can be what a clause is about, not an object, partner or example in it. */
export function canBeSubject(text: string, m: Mention, objectPosition: (m: Mention) => boolean): boolean {
  if (isScopeUse(text, m)) return false;
  // 九龙坡、巴南、綦江的5个产业: the last place of a list is as much an example as the others
  if (m.type === 'region' && /、$/u.test(text.slice(Math.max(0, m.start - 1), m.start))) return false;
  if (PARTNER_BEFORE.test(text.slice(Math.max(0, m.start - 2), m.start))) return false;
  if (EXAMPLE_AFTER.test(text.slice(m.end, m.end + 1))) return false;
  return !objectPosition(m);
}

export function subjectFor(text: string, entities: ArticleEntities, sentenceStart: number, before: number, topic: string | null, objectPosition: (m: Mention) => boolean = () => false): SubjectResult {
  const ms = entities.mentions;
  for (let k = lastIndexBefore(ms, before); k >= 0; k--) {
    const m = ms[k];
    if (m.end <= sentenceStart) break;
    if (m.end > before) continue;
    if (!canBeSubject(text, m, objectPosition)) continue;
    // 天使、风险基金对…: an organisation without a proper name still takes the subject's place, and
    // what the article is about is the safer answer than a name from an earlier clause
    if (m.type === 'org' && !m.named) {
      if (entities.focus.main) return { subject: entities.focus.main, rule: 'subject.unnamed-org', how: 'article' };
      continue;
    }
    const name = entities.resolve(m);
    if (!name) continue;
    return { subject: name, rule: m.rule, how: 'sentence' };
  }
  if (topic) return { subject: topic, rule: 'subject.topic', how: 'topic' };
  if (entities.focus.main) return { subject: entities.focus.main, rule: 'subject.article', how: 'article' };
  return { subject: null, rule: 'subject.none', how: 'none' };
}

function lastIndexBefore(ms: Mention[], pos: number): number {
  let lo = 0, hi = ms.length - 1, ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ms[mid].start < pos) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

// clause openers that do not change what the clause is about
const OPENERS = /^(?:目前|同时|其中|比如|例如|又如|据介绍|据了解|据统计|数据显示|此外|另外|如今|现在|近年来|近日|当前|截至目前|去年|今年|\d{4}年(?:底|末|初)?|[，,、])*$/u;
// 位于龙溪街道的威瑞众创空间: a place phrase ending in 的 before the name
const PLACE_MODIFIER = /^(?:位于|地处|坐落于|坐落在)[^，,。]*的$/u;

/** The entity a clause opens with, which becomes the topic of what follows. */
export function clauseTopic(text: string, entities: ArticleEntities, clauseStart: number, clauseEnd: number): string | null {
  let found: string | null = null;
  const mentions = entities.mentions; // sorted by start: read from the clause's first on
  for (let k = firstFrom(mentions, clauseStart); k < mentions.length; k++) {
    const m = mentions[k];
    if (m.start >= clauseEnd || m.start - clauseStart > 24) break;
    const lead = text.slice(clauseStart, m.start);
    // 在仙桃国际大数据谷内，…: a place opening a clause sets the scene for what follows
    const scene = /^在$/u.test(lead) && /^(?:内|中|里)/u.test(text.slice(m.end, m.end + 1));
    if (!scene && !OPENERS.test(lead) && !PLACE_MODIFIER.test(lead)) continue;
    if (!scene && /^(?:内|中|里|等|、)/u.test(text.slice(m.end, m.end + 1))) continue;
    if (isScopeUse(text, m)) continue;
    if (m.type === 'org' && !m.named) continue;
    if (/^(?:等|、)/u.test(text.slice(m.end, m.end + 1)) || /、$/u.test(text.slice(m.start - 1, m.start))) continue; // a list item
    found = entities.resolve(m) ?? found;
  }
  return found;
}
