// Cleaning keeps one offset map back to the original: every span maps to the
// exact characters of the file, whatever was dropped or folded in between.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanText } from '../src/text/clean.js';
import { sliceCodePoints } from '../src/text/offsets.js';
import { splitSentences, splitClauses } from '../src/text/segment.js';
import { wordSpans } from '../src/nlp/jieba.js';
import { extractDocument, extractFacts } from '../src/index.js';
import { ROOT } from './helpers.js';

const corpus = fs.readdirSync(path.join(ROOT, 'corpus')).filter((f) => f.endsWith('.txt'));

describe('cleaning', () => {
  test('drops ** emphasis and maps the figure back inside it', () => {
    const raw = '累计培育科技型企业**25172**家';
    const c = cleanText(raw);
    expect(c.text).toBe('累计培育科技型企业25172家');
    const s = c.text.indexOf('25172');
    expect(c.map.toOriginal(s, s + 6)).toEqual([raw.indexOf('25172'), raw.length]);
  });

  test('joins a line broken inside a number and keeps the break inside the span', () => {
    const raw = 'R&D经费支出达到52.76亿\n\n元，全市第一。';
    const c = cleanText(raw, wordSpans);
    expect(c.text).toBe('R&D经费支出达到52.76亿元，全市第一。');
    const s = c.text.indexOf('52.76');
    const [a, b] = c.map.toOriginal(s, s + '52.76亿元'.length);
    expect(raw.slice(a, b)).toBe('52.76亿\n\n元');
  });

  test('joins a word broken across lines but keeps a heading apart', () => {
    const raw = '有3137家市级科技型企业，总\n\n量全市第一。\n\n渝北科技创新的第一\n 汽车、摩托车及零配件是渝北的传\n统制造业。';
    const c = cleanText(raw, wordSpans);
    expect(c.text).toContain('总量全市第一');
    expect(c.text).toContain('渝北科技创新的第一\n汽车');
    expect(c.text).toContain('传统制造业');
  });

  test('joins a sentence broken between a metric and its figure, but not a heading or a list item', () => {
    const raw = '全年粮食种植面积120.5万亩，比上年增加0.8万亩；粮食总产量\n\n48.6万吨，增长1.2%。\n\n二、工业\n\n2023年，工业增加值增长5%。\n\n（一）规模以上工业\n\n1.规模以上工业企业达到1256家。';
    const c = cleanText(raw, wordSpans);
    expect(c.text).toContain('粮食总产量48.6万吨');
    expect(c.text).toContain('二、工业\n2023年');
    expect(c.text).toContain('(一)规模以上工业\n1.规模以上');
    const facts = extractFacts(raw);
    expect(facts.find((f) => f.quote === '48.6万吨')?.metric).toBe('粮食总产量');
    expect(facts.find((f) => f.quote === '1256家')?.metric).toBe('规模以上工业企业');
  });

  test('folds full-width digits and punctuation, drops spaces inside Chinese text', () => {
    const c = cleanText('实施技术创新项目 1379 项，增长１５．８％');
    expect(c.text).toBe('实施技术创新项目1379项，增长15.8%');
    expect(cleanText('４，５６５').text).toBe('4,565');
  });

  test('keeps a space between two Latin words or numbers', () => {
    expect(cleanText('Recognizers Text 1 3/5').text).toBe('Recognizers Text 1 3/5');
  });

  test('code-point offsets stay right after characters outside the BMP', () => {
    const raw = '😀𠀀 产值**3512.5亿元**';
    const f = extractDocument(raw).facts[0];
    expect(f.quote).toBe('3512.5亿元');
    expect(sliceCodePoints(raw, f.start, f.end)).toBe('3512.5亿元');
    expect(f.start).toBe(Array.from(raw).indexOf('3'));
  });
});

describe('sentences and clauses', () => {
  test('sentences end at full stops and kept line breaks, not at semicolons', () => {
    const t = '2023年,渝北区规上工业总产值3512.5亿元;国家高新技术企业506家。目前,全区…';
    const s = splitSentences(t);
    expect(s.map((x) => t.slice(x.start, x.end))).toEqual(['2023年,渝北区规上工业总产值3512.5亿元;国家高新技术企业506家。', '目前,全区…']);
  });

  test('a comma between thousands groups does not split a clause', () => {
    const t = '投资1,050,000元,增长5%';
    expect(splitClauses(t, { start: 0, end: t.length }).map((c) => t.slice(c.start, c.end))).toEqual(['投资1,050,000元', '增长5%']);
  });
});

describe('every fact in the sample corpus quotes its file exactly', () => {
  for (const file of corpus) {
    test(file, () => {
      const raw = fs.readFileSync(path.join(ROOT, 'corpus', file), 'utf8');
      const r = extractDocument(raw, { doc: file });
      expect(r.facts.length).toBeGreaterThan(10);
      for (const f of [...r.facts, ...r.expressions]) {
        expect(sliceCodePoints(raw, f.start, f.end)).toBe(f.quote);
        // the quote, cleaned, holds no line breaks or emphasis the figure did not have
        expect(f.quote.replace(/\*\*|\s/g, '').length).toBeGreaterThan(0);
      }
      for (const f of r.facts) {
        expect(f.sentence_start).toBeLessThanOrEqual(f.start);
        expect(f.sentence_end).toBeGreaterThanOrEqual(f.end);
      }
    });
  }
});
