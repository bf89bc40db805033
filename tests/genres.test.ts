// Genres the sample corpus lacks (fixtures in tests/fixtures/genres): the facts
// a reader would take from each, checked field by field.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractFacts } from '../src/index.js';
import { dice } from '../src/eval/score.js';
import { ROOT } from './helpers.js';

type Want = { quote: string; value?: number; min?: number; max?: number; unit?: string | null; kind?: string; direction?: string | null; qualifier?: string; modality?: string; year?: number | null; subject?: string | null; metric?: string };

function check(file: string, wants: Want[], noFacts: string[] = []) {
  const facts = extractFacts(fs.readFileSync(path.join(ROOT, 'tests/fixtures/genres', file), 'utf8'), { doc: file });
  for (const w of wants) {
    const f = facts.find((x) => x.quote === w.quote && (w.metric === undefined || dice(x.metric ?? '', w.metric) >= 0.5));
    expect(f, `${file}: ${w.quote} ${w.metric ?? ''}`).toBeDefined();
    for (const k of ['value', 'min', 'max', 'unit', 'kind', 'direction', 'qualifier', 'modality', 'year', 'subject'] as const) {
      if (w[k] !== undefined) expect(f![k], `${file}: ${w.quote} ${k}`).toEqual(w[k]);
    }
  }
  for (const q of noFacts) expect(facts.some((f) => f.quote === q), `${file}: ${q} is no fact`).toBe(false);
}

describe('statistical bulletin', () => {
  test('levels, changes from the year before, directions and the city of the title', () =>
    check(
      'bulletin.txt',
      [
        { quote: '30145.79亿元', value: 3014579000000, unit: '元', kind: 'amount', subject: '杭州市', metric: '地区生产总值' },
        { quote: '6.1%', kind: 'change', direction: 'up', metric: '地区生产总值' },
        { quote: '2074.68亿元', value: 207468000000, metric: '第一产业增加值' },
        { quote: '21.93万人', kind: 'change', direction: 'down', metric: '常住人口' },
        { quote: '0.36个百分点', unit: '百分点', kind: 'change', direction: 'up', metric: '常住人口城镇化率' },
        { quote: '0.3%', direction: 'up', metric: '居民消费价格' },
        { quote: '1.2%', direction: 'down', metric: '食品价格' },
        { quote: '6.6%', metric: '规模以上工业增加值' },
        { quote: '2.3%', direction: 'down', metric: '外商及港澳台商投资企业增加值' },
        { quote: '4876.2亿元', kind: 'change', direction: 'up', metric: '金融机构本外币各项存款余额' },
      ],
      ['6.9', '三次'],
    ));
});

describe('government work report', () => {
  test('targets are planned, with their qualifiers', () =>
    check('work-report.txt', [
      { quote: '5.3%', kind: 'change', modality: 'actual', subject: '湖北省', metric: '地区生产总值' },
      { quote: '65.2万人', value: 652000, metric: '城镇新增就业' },
      { quote: '5.5%', kind: 'change', qualifier: 'approx', modality: 'planned', metric: '地区生产总值' },
      { quote: '60万人', qualifier: 'over', modality: 'planned', metric: '城镇新增就业' },
      { quote: '5.5%', kind: 'amount', qualifier: 'under', modality: 'planned', metric: '城镇调查失业率' },
      { quote: '2.5万家', qualifier: 'over', modality: 'planned', year: 2025, metric: '高新技术企业' },
    ]));
});

describe('business news', () => {
  test('the company named once in full and then by its short name is the subject', () =>
    check(
      'business.txt',
      [
        { quote: '6023.15亿元', subject: '比亚迪股份有限公司', metric: '营业收入' },
        { quote: '42.04%', kind: 'change', direction: 'up', subject: '比亚迪股份有限公司', metric: '营业收入' },
        { quote: '17.5%', kind: 'change', direction: 'down', metric: '净利润' },
        { quote: '302.44万辆', year: 2023, subject: '比亚迪股份有限公司', metric: '新能源汽车销量' },
        { quote: '第一', kind: 'rank', year: 2023 },
        { quote: '400万辆', qualifier: 'over', modality: 'planned', metric: '销量' },
        { quote: '6366亿元', qualifier: 'approx', metric: '市值' },
      ],
      ['3月26日'],
    ));
});

describe('local news from another province', () => {
  test('the zone is the subject; a rank in a set has the set as scope; the province in a notice is its subject', () =>
    check('local-news.txt', [
      { quote: '3206.2亿元', year: 2023, subject: '成都高新区', metric: '地区生产总值' },
      { quote: '第5位', kind: 'rank', metric: '经济总量' },
      { quote: '2.3个百分点', kind: 'change', direction: 'up', metric: '规上工业增加值' },
      { quote: '512家', kind: 'change', direction: 'up', metric: '有效国家高新技术企业' },
      { quote: '60%', kind: 'share', metric: '电子信息产业规模' },
      { quote: '6000家', qualifier: 'over', modality: 'planned', year: 2025 },
      { quote: '2.5万家', modality: 'planned', year: 2027, subject: '四川省' },
    ]));
});
