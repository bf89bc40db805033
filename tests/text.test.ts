// Cleaning keeps one offset map back to the original: every span maps to the
// exact characters of the file, whatever was dropped or folded in between.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanText } from '../src/text/clean.js';
import { sliceCodePoints } from '../src/text/offsets.js';
import { splitSentences, splitClauses } from '../src/text/segment.js';
import { wordSpans } from '../src/nlp/jieba.js';
import { extractDocument, extractFacts, getRules } from '../src/index.js';
import { findNonfactSpans, NonfactIndex } from '../src/facts/classify.js';
import { readNumeral } from '../src/numbers/numeral.js';
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

  test('a text with no full stop is cut into sentences of at most 1,000 characters after a comma, and clauses of at most 300, never inside a number', () => {
    // a list of thousands of figures in one sentence, as a table flattened into a line gives
    const items = Array.from({ length: 3000 }, (_, i) => `${(i * 37) % 1000}.${i % 10}亿元`);
    const t = `产值分别为${items.join('、')}。`;
    const sentences = splitSentences(t);
    expect(sentences.length).toBeGreaterThan(20);
    expect(Math.max(...sentences.map((x) => x.end - x.start))).toBeLessThanOrEqual(1000);
    // the pieces cover the text, each ends after an enumeration comma (the last at the full stop)
    expect(sentences.map((x) => t.slice(x.start, x.end)).join('')).toBe(t);
    for (const x of sentences.slice(0, -1)) expect(t[x.end - 1]).toBe('、');
    for (const x of sentences) {
      const clauses = splitClauses(t, x);
      expect(Math.max(...clauses.map((c) => c.end - c.start))).toBeLessThanOrEqual(300);
      for (const c of clauses) expect(/\d/.test(t[c.start - 1] ?? '') && /\d/.test(t[c.start])).toBe(false);
    }
    // and every figure of the list is still read, whole
    const { facts } = extractDocument(t);
    expect(facts.map((f) => f.quote)).toEqual(items);
  });

  test('prose is never cut: no sentence of the sample corpus reaches the bounds', () => {
    for (const f of corpus) {
      const text = cleanText(fs.readFileSync(path.join(ROOT, 'corpus', f), 'utf8'), wordSpans).text;
      for (const s of splitSentences(text)) {
        expect(s.end - s.start).toBeLessThan(1000 / 2);
        for (const c of splitClauses(text, s)) expect(c.end - c.start).toBeLessThan(300 / 2);
      }
    }
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

describe('long runs are read in bounded pieces', () => {
  const R = getRules();

  test('the non-fact spans overlapping a figure are those a scan of every span finds, in the same order, beside a web address of 9,000 characters too', () => {
    const texts = corpus.map((f) => cleanText(fs.readFileSync(path.join(ROOT, 'corpus', f), 'utf8'), wordSpans).text);
    texts.push(`详见http://example.org/${'a1/'.repeat(3000)}，型号C919、N95和“1+3+5”规划，比例为4:6，电话023-67890123。${texts[0]}`);
    let asked = 0;
    for (const text of texts) {
      const spans = findNonfactSpans(text, R);
      const index = new NonfactIndex(spans);
      const { expressions } = extractDocument(text);
      expect(/[\uD800-\uDFFF]/.test(text)).toBe(false); // offsets in code points are offsets in UTF-16 units
      for (const { start, end } of expressions) {
        expect(index.overlapping(start, end)).toEqual(spans.filter((s) => s.start < end && s.end > start));
        asked++;
      }
    }
    expect(asked).toBeGreaterThan(500);
  });

  test('a run of Chinese numerals far longer than any numeral is read a few dozen characters at a time', () => {
    const run = '四二四八五五七五万二三亿一二一七四万三千六三万五五一千二八万九九万百八九十一七七一百九四五二八七千千二九七一万九千五六六亿'.repeat(20);
    const n = readNumeral(run, 0, R);
    expect(n).not.toBeNull();
    expect(n!.end).toBeLessThanOrEqual(48);
    // a real numeral is read whole
    expect(readNumeral('一千二百三十四亿五千六百七十八万九千八百七十六元', 0, R)).toMatchObject({ end: 23, value: 123456789876 });
  });
});
