// Corrections a reviewer makes to a fact's fields: validated by zod, stored as
// JSON beside the verdict, applied on export. Only the fields that differ from
// what the extractor found are kept, so a correction reads as what was wrong.
import { z } from 'zod';
import type { Fact } from '../facts/record.js';

const text = z.string().trim().min(1).max(200);
const amount = z.number().finite().nullable();

export const correctionSchema = z.strictObject({
  value: amount.optional(),
  min: amount.optional(),
  max: amount.optional(),
  unit: z.string().trim().min(1).max(40).nullable().optional(),
  kind: z.enum(['amount', 'change', 'share', 'rank']).optional(),
  qualifier: z.enum(['exact', 'approx', 'over', 'under']).optional(),
  modality: z.enum(['actual', 'planned']).optional(),
  year: z.number().int().min(1000).max(3000).nullable().optional(),
  subject: text.nullable().optional(),
  metric: text.nullable().optional(),
  scope: text.nullable().optional(),
  direction: z.enum(['up', 'down']).nullable().optional(),
});

export type Corrections = z.infer<typeof correctionSchema>;
export type CorrectableField = keyof Corrections;
export const CORRECTABLE_FIELDS = Object.keys(correctionSchema.shape) as CorrectableField[];

export const VERDICTS = ['accepted', 'rejected', 'corrected'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What a reviewer sends: a verdict, the corrected fields for `corrected`, and a note. */
export const verdictInputSchema = z
  .strictObject({
    verdict: z.enum(VERDICTS),
    corrections: correctionSchema.optional(),
    note: z.string().max(2000).optional(),
    /** the fact_key the reviewer saw: refuses the verdict if the fact was re-extracted meanwhile */
    fact_key: z.string().max(200).optional(),
  })
  .refine((v) => v.verdict === 'corrected' || !v.corrections || Object.keys(v.corrections).length === 0, {
    message: 'only a "corrected" verdict carries corrections',
    path: ['corrections'],
  });

export type VerdictInput = z.infer<typeof verdictInputSchema>;

type Correctable = Pick<Fact, CorrectableField>;

/** The corrections that actually change something (a correction to the same value is no correction). */
export function effectiveCorrections(fact: Correctable, corrections: Corrections): Corrections {
  const out: Record<string, unknown> = {};
  for (const k of CORRECTABLE_FIELDS) {
    if (!(k in corrections)) continue;
    const v = corrections[k];
    if (v === undefined || v === fact[k]) continue;
    out[k] = v;
  }
  return out as Corrections;
}

/** The fact as the reviewer corrected it. */
export function applyCorrections<T extends Correctable>(fact: T, corrections: Corrections | null | undefined): T {
  if (!corrections) return fact;
  const out = { ...fact } as Record<string, unknown>;
  for (const k of CORRECTABLE_FIELDS) if (k in corrections && corrections[k] !== undefined) out[k] = corrections[k];
  return out as T;
}

/** Parse stored JSON; a row someone edited by hand into nonsense counts as no corrections rather than crashing a listing. */
export function parseCorrections(json: string | null): Corrections | null {
  if (!json) return null;
  try {
    const r = correctionSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
