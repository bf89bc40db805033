// Scoring extracted facts against gold, as ../shared/spec/facts.md defines it:
// facts are paired per document by largest span overlap; optional gold facts
// neither count as missed nor make a paired prediction spurious.
import type { Fact } from '../facts/record.js';
/** What scoring reads of a prediction: the spec's fields of a fact. */
export type PredictedFact = Pick<Fact, 'doc' | 'start' | 'end' | 'quote' | 'value' | 'min' | 'max' | 'unit' | 'year' | 'subject' | 'metric' | 'scope'> & {
  kind: string;
  qualifier: string | null;
  modality: string | null;
};

/** A gold fact: acceptable forms of subject and metric as lists, and whether extracting it is optional. */
export type GoldFact = Omit<PredictedFact, 'subject' | 'metric' | 'qualifier' | 'modality'> & {
  qualifier: string;
  modality: string;
  subject: string[] | string | null;
  metric: string[] | string | null;
  optional?: boolean;
};

export const FIELDS = ['value', 'unit', 'kind', 'qualifier', 'modality', 'year', 'subject', 'metric', 'scope'] as const;
export type Field = (typeof FIELDS)[number];
const FACT_FIELDS: Field[] = ['value', 'unit', 'year', 'subject', 'metric'];

export interface ScoreError {
  type: 'missed' | 'spurious' | 'field';
  doc: string;
  quote: string;
  at: number;
  wrong?: Partial<Record<Field, { gold: unknown; pred: unknown }>>;
}

export interface Score {
  docs: number;
  gold: number;
  predicted: number;
  detection: { p: number; r: number; f1: number };
  fact: { p: number; r: number; f1: number };
  fields: Record<Field, number>;
  errors: ScoreError[];
}

const norm = (s: unknown) => String(s ?? '').normalize('NFKC').replace(/\s+/g, '').replace(/[“”"'‘’]/g, '');
const sameNumber = (a: number | null, b: number | null) =>
  (a === null && b === null) || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
const list = (v: string[] | string | null | undefined) => (Array.isArray(v) ? v : v == null ? [] : [v]);

function bigrams(s: string): string[] {
  const c = Array.from(norm(s));
  if (c.length < 2) return c;
  const out: string[] = [];
  for (let i = 0; i + 1 < c.length; i++) out.push(c[i] + c[i + 1]);
  return out;
}

/** Character-bigram Dice coefficient: how the spec compares metric phrases. */
export function dice(a: string, b: string): number {
  const x = bigrams(a), y = bigrams(b);
  if (!x.length || !y.length) return 0;
  const counts = new Map<string, number>();
  for (const g of x) counts.set(g, (counts.get(g) ?? 0) + 1);
  let hit = 0;
  for (const g of y) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      hit++;
      counts.set(g, n - 1);
    }
  }
  return (2 * hit) / (x.length + y.length);
}

const checks: Record<Field, (p: PredictedFact, g: GoldFact) => boolean> = {
  value: (p, g) => (g.value === null && (g.min !== null || g.max !== null) ? sameNumber(p.min, g.min) && sameNumber(p.max, g.max) : sameNumber(p.value, g.value)),
  unit: (p, g) => norm(p.unit) === norm(g.unit),
  kind: (p, g) => p.kind === g.kind,
  qualifier: (p, g) => (p.qualifier ?? 'exact') === g.qualifier,
  modality: (p, g) => (p.modality ?? 'actual') === g.modality,
  year: (p, g) => (p.year ?? null) === (g.year ?? null),
  subject: (p, g) => list(g.subject).some((s) => norm(s) === norm(p.subject)),
  metric: (p, g) => list(g.metric).some((m) => dice(m, p.metric ?? '') >= 0.5),
  scope: (p, g) => norm(p.scope) === norm(g.scope),
};

const prf = (t: number, np: number, ng: number) => {
  const p = np ? t / np : 0, r = ng ? t / ng : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};

export function scoreFacts(gold: GoldFact[], predicted: PredictedFact[]): Score {
  const docs = [...new Set(gold.map((g) => g.doc))].sort();
  let tp = 0, fp = 0, fn = 0, factTp = 0;
  const right = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const errors: ScoreError[] = [];
  for (const doc of docs) {
    const G = gold.filter((g) => g.doc === doc);
    const P = predicted.filter((p) => p.doc === doc);
    const pairs: [number, number, number][] = [];
    G.forEach((g, gi) => P.forEach((p, pi) => {
      const overlap = Math.min(g.end, p.end) - Math.max(g.start, p.start);
      if (overlap > 0) pairs.push([overlap, gi, pi]);
    }));
    pairs.sort((a, b) => b[0] - a[0]);
    const gUsed = new Set<number>(), pUsed = new Set<number>();
    for (const [, gi, pi] of pairs) {
      if (gUsed.has(gi) || pUsed.has(pi)) continue;
      gUsed.add(gi);
      pUsed.add(pi);
      const g = G[gi], p = P[pi];
      if (g.optional) continue;
      tp++;
      const wrong: ScoreError['wrong'] = {};
      for (const f of FIELDS) {
        if (checks[f](p, g)) right[f]++;
        else wrong[f] = { gold: g[f], pred: p[f] };
      }
      if (FACT_FIELDS.every((f) => !(f in wrong))) factTp++;
      if (Object.keys(wrong).length) errors.push({ type: 'field', doc, quote: g.quote, at: g.start, wrong });
    }
    G.forEach((g, gi) => {
      if (!gUsed.has(gi) && !g.optional) {
        fn++;
        errors.push({ type: 'missed', doc, quote: g.quote, at: g.start });
      }
    });
    P.forEach((p, pi) => {
      if (!pUsed.has(pi)) {
        fp++;
        errors.push({ type: 'spurious', doc, quote: p.quote, at: p.start });
      }
    });
  }
  const fields = Object.fromEntries(FIELDS.map((f) => [f, tp ? right[f] / tp : 0])) as Record<Field, number>;
  return { docs: docs.length, gold: tp + fn, predicted: tp + fp, detection: prf(tp, tp + fp, tp + fn), fact: prf(factTp, tp + fp, tp + fn), fields, errors };
}

export function formatScore(s: Score): string {
  const pct = (x: number) => (100 * x).toFixed(1) + '%';
  return [
    `documents ${s.docs}, gold facts ${s.gold}, predicted ${s.predicted}`,
    `detection  P ${pct(s.detection.p)}  R ${pct(s.detection.r)}  F1 ${pct(s.detection.f1)}`,
    `fact       P ${pct(s.fact.p)}  R ${pct(s.fact.r)}  F1 ${pct(s.fact.f1)}   (value, unit, year, subject and metric all right)`,
    `fields     ${FIELDS.map((f) => `${f} ${pct(s.fields[f])}`).join(', ')}`,
  ].join('\n');
}
