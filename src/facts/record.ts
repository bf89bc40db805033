// The fact record, field for field as ../shared/spec/facts.md defines it,
// plus provenance. Every fact leaving the engine is checked against this.
import { z } from 'zod';

export const factSchema = z.strictObject({
  /** stable id: sha256 prefix of the document, then the span */
  id: z.string(),
  doc: z.string(),
  /** half-open code-point offsets into the decoded original file */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  quote: z.string(),
  value: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  unit: z.string().nullable(),
  kind: z.enum(['amount', 'change', 'share', 'rank']),
  qualifier: z.enum(['exact', 'approx', 'over', 'under']),
  modality: z.enum(['actual', 'planned']),
  year: z.number().int().nullable(),
  /** the time words the year came from (`2023年`, `去年`) */
  time_text: z.string().nullable(),
  subject: z.string().nullable(),
  metric: z.string().nullable(),
  scope: z.string().nullable(),
  direction: z.enum(['up', 'down']).nullable(),
  /** 0..1, from the rules that fired; reviewers sort by it */
  confidence: z.number().min(0).max(1),
  /** the sentence (cleaned) and its code-point offsets in the original */
  sentence: z.string(),
  sentence_start: z.number().int().nonnegative(),
  sentence_end: z.number().int().nonnegative(),
  /** the rule that made this figure a fact */
  rule: z.string(),
  /** every rule that contributed, in order */
  rules: z.array(z.string()),
  /** what lowered the confidence, for reviewers */
  doubts: z.array(z.string()),
  sha256: z.string(),
  extractor_version: z.string(),
});

export type Fact = z.infer<typeof factSchema>;

/** A numeric expression as `parse --all` prints it: fact or not, with the reason. */
export interface ExpressionRecord {
  doc: string;
  line?: number;
  start: number;
  end: number;
  quote: string;
  value: number | null;
  min: number | null;
  max: number | null;
  unit: string | null;
  qualifier: string;
  kind: string | null;
  form: string;
  time: { part: string; value: number; min?: number; max?: number } | null;
  fact: boolean;
  /** why it is not a fact (a rule id), or null */
  reason: string | null;
  rules: string[];
}
