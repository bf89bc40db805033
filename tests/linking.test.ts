// Linking each figure to its subject, metric, year, modality and direction, on real sentences.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { extractFacts } from '../src/index.js';
import { CLI, ROOT, tempDir } from './helpers.js';

const pick = (text: string, opts = {}) => extractFacts(text, opts).map((f) => ({ quote: f.quote, subject: f.subject, metric: f.metric, year: f.year, time_text: f.time_text, modality: f.modality, kind: f.kind, direction: f.direction }));

describe('time', () => {
  test('relative years resolve with a publication date and keep their words', () => {
    const text = '去年，我市新认定高新技术企业3071家。今年全市计划新增从业人员10万人。';
    expect(pick(text, { published: '2024-02-26' }).map((f) => [f.quote, f.year, f.time_text])).toEqual([
      ['3071家', 2023, '去年'],
      ['10万人', 2024, '今年'],
    ]);
    // without the date they stay unresolved, as the spec asks
    expect(pick(text).map((f) => [f.year, f.time_text])).toEqual([
      [null, '去年'],
      [null, '今年'],
    ]);
  });

  test('a year carries across clauses of a sentence but not into the next sentence', () => {
    const facts = pick('2023年，渝北区规上工业总产值3512.5亿元；国家高新技术企业总量达到506家。特别是，全区累计建成博士后工作站43家。');
    expect(facts.map((f) => f.year)).toEqual([2023, 2023, null]);
  });

  test('a year in a document title governs nothing', () => {
    expect(pick('今年9月，世界知识产权组织发布《2020年全球创新指数报告》，重庆排名上升了11位。')[0].year).toBe(null);
  });
});

describe('direction', () => {
  test('a decline is never read as growth', () => {
    const facts = pick('全年规模以上工业企业实现利润总额1558.3亿元，下降6.7%。年末常住人口比上年末减少21.93万人。');
    expect(facts.map((f) => [f.quote, f.kind, f.direction])).toEqual([
      ['1558.3亿元', 'amount', null],
      ['6.7%', 'change', 'down'],
      ['21.93万人', 'change', 'down'],
    ]);
  });
});

describe('subjects', () => {
  test('全区 and short names resolve to the district in its fullest form', () => {
    const facts = pick('渝北区规上企业193家。渝北已聚集长安汽车等5家整车企业。全区科技型企业已突破3000家。');
    expect(facts.map((f) => f.subject)).toEqual(['渝北区', '渝北区', '渝北区']);
  });

  test('a declared short name resolves to the full company name, and 公司 to the company last named', () => {
    const facts = pick('重庆再升科技股份有限公司(以下简称“再升科技”)是一家新材料公司。再升科技2011年以来承担国家科研项目8项。公司连续6年实现营业收入、利润超50%增长。');
    expect(facts.filter((f) => f.quote !== '6年').map((f) => f.subject)).toEqual(['重庆再升科技股份有限公司', '重庆再升科技股份有限公司']);
  });

  test('a place in the object of a verb is not the subject', () => {
    const facts = pick('渝北区研发机构法人化试点单位达到32家，认定为重庆市新型研发机构20家。');
    expect(facts.map((f) => f.subject)).toEqual(['渝北区', '渝北区']);
  });
});

describe('metrics', () => {
  test('coordinated figures get their own metrics, and their changes follow pairwise', () => {
    const facts = pick('科技型企业和高新技术企业分别达到58524家和7565家，同比增加36.1%和19.2%。');
    expect(facts.map((f) => f.metric)).toEqual(['科技型企业', '高新技术企业', '科技型企业', '高新技术企业']);
  });

  test('the thing counted after the measure word', () => {
    expect(pick('目前，渝北已建成2家智能工厂、13个数字化车间。').map((f) => f.metric)).toEqual(['智能工厂', '数字化车间']);
  });
});

describe('the facts command', () => {
  const dir = tempDir('cnfacts-facts-');
  const db = path.join(dir, 'f.sqlite');
  execFileSync(process.execPath, [CLI, 'extract', path.join(ROOT, 'corpus'), '--db', db, '--quiet']);

  test('filters by subject and metric and marks the figure in its sentence', () => {
    const out = execFileSync(process.execPath, [CLI, 'facts', '--db', db, '--subject', '渝北区', '--metric', '研发', '--json'], { encoding: 'utf8' });
    const rows = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      expect(r.subject).toBe('渝北区');
      expect(r.metric).toContain('研发');
      expect(r.marked).toContain(`【${r.quote.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim()}】`);
    }
  });

  test('the table shows subject, metric, year and the marked sentence', () => {
    const out = execFileSync(process.execPath, [CLI, 'facts', '--db', db, '--year', '2023', '--limit', '3'], { encoding: 'utf8' });
    expect(out).toMatch(/渝北区 · 规上工业总产值 · 2023/);
    expect(out).toMatch(/【3512\.5亿元】/);
  });
});
