// The shape of every rule file in rules/. The engine only loads what these
// schemas accept; a file that does not fit stops the run with file, line and reason.
import { z } from 'zod';

const regex = z.string().min(1).superRefine((s, ctx) => {
  try {
    new RegExp(s, 'u');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
  }
});

const ruleId = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/, 'rule ids look like "unit.currency" (lowercase, dot-separated)');
const chars = z.string().min(1);
const qualifier = z.enum(['exact', 'approx', 'over', 'under']);
const kind = z.enum(['amount', 'change', 'share', 'rank']);

/** An example kept beside the rules it exercises; tests/rules-examples.test.ts runs every one. */
export const exampleSchema = z.strictObject({
  text: z.string().min(1),
  /** `facts` (default) checks extracted facts; `all` checks every numeric expression (parse --all) */
  mode: z.enum(['facts', 'all']).default('facts'),
  /** expected items, matched by quote; an empty list means nothing may be found */
  expect: z.array(z.record(z.string(), z.unknown())),
  /** what the example shows, for the reader */
  note: z.string().optional(),
  /** known failure kept visible in the backlog instead of deleted; the test expects it to fail */
  todo: z.string().optional(),
});
export type RuleExample = z.infer<typeof exampleSchema>;
const examples = z.array(exampleSchema).default([]);

const header = {
  version: z.literal(1),
  description: z.string().min(1),
  examples,
};

export const numeralsSchema = z.strictObject({
  ...header,
  digits: z.array(z.strictObject({ value: z.number().int().min(0).max(9), chars })),
  tens: z.array(z.strictObject({ value: z.number().int(), chars })),
  small_units: z.array(z.strictObject({ value: z.number().int(), chars })),
  big_units: z.array(z.strictObject({ value: z.number(), chars })),
  decimal_points: chars,
  negative_signs: z.array(z.string().min(1)),
  /** markers inside a number (`十多万`, `500余万`, `二十多家`): the figure is a floor */
  vague: z.array(z.strictObject({ chars, qualifier })),
  /** Latin multipliers written after Arabic digits (`40k`, `1.2M`) */
  suffixes: z.array(z.strictObject({ text: z.string().min(1), value: z.number() })),
  /** collective nouns that multiply (`一打` = 12) */
  collectives: z.array(z.strictObject({ text: z.string().min(1), value: z.number(), not_followed_by: regex.optional() })),
  /** words that look like numerals but are not numbers (`万一`, `十分`) */
  not_numbers: z.array(z.string().min(2)),
  /** Chinese digits that, alone before a word, are part of that word unless a measure word follows (`陆地`, `拾起`) */
  word_forming_digits: z.string().min(1),
  /** characters after which a lone digit still reads as a number (`是五`, `第三`) */
  lone_digit_left_ok: z.string().min(1),
  /** characters after which a lone digit ends and still reads as a number (`五这是…`, `四不是`) */
  lone_digit_right_ok: z.string().min(1),
  /** fixed expressions that carry a figure without digits (`一半`, `过半`) */
  fixed: z.array(
    z.strictObject({
      id: ruleId,
      text: z.string().min(1),
      value: z.number(),
      unit: z.string().nullable(),
      qualifier: qualifier.default('exact'),
      kind: kind.optional(),
      not_followed_by: regex.optional(),
    }),
  ),
});

const unitForms = z.union([z.array(z.string().min(1)), z.record(z.string().min(1), z.string().min(1))]);

export const unitsSchema = z.strictObject({
  ...header,
  units: z.array(
    z.strictObject({
      id: ruleId,
      class: z.enum(['currency', 'count', 'measure', 'time', 'percent', 'permille', 'point', 'multiplier', 'temperature', 'age', 'tenth', 'discount']),
      /** surface forms; a list keeps each form as the unit, a map gives form: canonical unit */
      forms: unitForms,
      /** written before the number (`人民币50元` is after; `港币3.14`, `摄氏37度` are before) */
      position: z.enum(['after', 'before']).default('after'),
      /** only after Arabic digits: the form is also an everyday word after Chinese numerals */
      arabic_only: z.boolean().default(false),
      /** the form is not this unit when followed by this (`成为`, `年度`) */
      not_followed_by: regex.optional(),
      /** multiply the figure (`成` is a tenth: 五成 is 50 %) */
      scale: z.number().optional(),
      /** may open a compound unit: `元/平方米`, `元每平米` */
      compound: z.boolean().default(false),
    }),
  ),
  /** separators of compound units */
  per: z.array(z.string().min(1)),
});

const wordList = z.array(z.string().min(1)).min(1);

export const qualifiersSchema = z.strictObject({
  ...header,
  before: z.array(z.strictObject({ id: ruleId, qualifier, words: wordList, not_after: regex.optional() })),
  after: z.array(z.strictObject({ id: ruleId, qualifier, words: wordList, not_followed_by: regex.optional() })),
  internal: z.array(z.strictObject({ id: ruleId, qualifier, words: wordList })),
  between: wordList,
  comparative: z.strictObject({ before: wordList, over_after: wordList, under_after: wordList }),
  range_joiners: wordList,
});

export const nonfactsSchema = z.strictObject({
  ...header,
  patterns: z.array(
    z.strictObject({
      id: ruleId,
      description: z.string().min(1),
      /** matched over the cleaned text; numbers inside a match are not facts */
      pattern: regex,
      /** when a number's unit came from the unit table, this pattern does not apply (`168cm`) */
      spare_units: z.boolean().default(false),
      /** apply only to numbers without a unit */
      unitless_only: z.boolean().default(false),
    }),
  ),
});

export const timeSchema = z.strictObject({
  ...header,
  /** words after a number that make it a point in time, by what they name */
  markers: z.array(
    z.strictObject({
      id: ruleId,
      part: z.enum(['year', 'month', 'day', 'quarter', 'hour', 'minute', 'second', 'decade', 'week']),
      words: wordList,
      /** inclusive range of figures that can be this part */
      min: z.number(),
      max: z.number(),
      /** not a time when the number is preceded by this (`17个季度` is a count) */
      not_after: regex.optional(),
      not_followed_by: regex.optional(),
      /** the figure must be written with this many digits (years: 4) */
      digits: z.number().int().optional(),
    }),
  ),
  /** words before a number that make it a time (`初三`, `周五`) */
  prefixes: z.array(z.strictObject({ id: ruleId, part: z.enum(['day', 'weekday', 'month']), words: wordList })),
  relative_years: z.array(z.strictObject({ id: ruleId, word: z.string().min(1), offset: z.number().int() })),
  /** a year followed by this does not govern the figures after it (`2017年以来`, `在2022年的基础上`) */
  non_governing_after: z.array(regex),
  /** a year preceded by this does not govern either (`自2017年`) */
  non_governing_before: z.array(regex),
});

const cue = z.strictObject({
  id: ruleId,
  words: wordList,
  not_after: regex.optional(),
  not_followed_by: regex.optional(),
});

export const kindsSchema = z.strictObject({
  ...header,
  change: z.array(cue.extend({ direction: z.enum(['up', 'down']).nullable() })),
  /** a change verb followed by these names the new level, an amount (`提高到45%`) */
  level_markers: wordList,
  /** the base a change is measured from (比上年, 同比): a metric ends where its base starts */
  comparison_bases: wordList,
  /** words that name a level, blocking shorter change cues (`新增` is not `增`) */
  level: z.array(cue),
  share: z.array(cue),
  rank: z.array(cue),
  /** how far (characters) a cue may stand before the figure it governs */
  max_gap: z.number().int().min(0),
  /** the wholes that shares and ranks compare with */
  scopes: wordList,
  /** `前三`, `前10位`: a rank with qualifier under */
  top_n_prefix: wordList,
  /** after `第N`, these mean an ordinal that is not a ranking (`第一动力`, `第一个突破`) */
  ordinal_not_rank_followers: regex,
});

export const modalitySchema = z.strictObject({
  ...header,
  /** `frame`: a cue that sets up a plan for the rest of its sentence (计划到2025年，…), not only for the next figure */
  planned: z.array(z.strictObject({ id: ruleId, pattern: regex, frame: z.boolean().optional() })),
  /** `weak`: a cue that does not bring back to actual a sentence a framing planned cue opened (累计 in a plan counts what is planned) */
  actual: z.array(z.strictObject({ id: ruleId, pattern: regex, weak: z.boolean().optional() })),
});

export const subjectsSchema = z.strictObject({
  ...header,
  /** organisation names end with these; the name runs back to the start of the noun phrase */
  org_suffixes: z.array(z.strictObject({ id: ruleId, words: wordList, kind: z.string().min(1) })),
  /** references resolved within the article: `全区` → the district the article is about */
  references: z.array(
    z.strictObject({
      id: ruleId,
      words: wordList,
      refers_to: z.enum(['district', 'city', 'province', 'county', 'region', 'org']),
      org_kind: z.string().optional(),
      not_followed_by: regex.optional(),
    }),
  ),
  /** `(以下简称“再升科技”)`: group 1 is the short name */
  short_name_patterns: z.array(regex),
  /** forms too common to be places on their own */
  region_stop_words: z.array(z.string().min(1)),
  /** suffixes dropped to get the short form of a region (`渝北区` → `渝北`) */
  region_suffixes: wordList,
  /** named places and organisations not in the division data (`两江新区`) */
  extra_regions: z.array(z.strictObject({ name: z.string().min(1), level: z.enum(['province', 'city', 'district', 'county', 'zone']), parent: z.string().optional(), aliases: z.array(z.string()).default([]) })),
  /** words an organisation name never contains: the name runs back from its suffix to one of these */
  org_name_stop_words: wordList,
  /** jieba word classes that never sit inside a name */
  org_name_stop_tags: wordList,
  /** words before a name that are not part of it */
  org_name_prefix_drop: z.array(z.string().min(1)),
});

export const metricsSchema = z.strictObject({
  ...header,
  /** words that introduce a figure: the metric stands before them (`总量达到506家`) */
  verbs: wordList,
  /** verbs that take the counted thing as object after the measure word (`建成2家智能工厂`) */
  object_verbs: wordList,
  /** dropped from metric names so the same metric reads the same across articles */
  fillers: wordList,
  /** a metric never crosses these */
  stops: wordList,
  /** a metric may not start with these (particles, conjunctions) */
  leading_junk: wordList,
  /** a metric may not end with these */
  trailing_junk: wordList,
  /** what can follow a measure word and still be the counted thing */
  max_length: z.number().int().min(2),
  /** phrases that never name a metric, even where one would stand */
  not_metrics: wordList,
  /** words too general to name a metric on their own (`规模居全市第一` takes the metric before it) */
  generic_nouns: wordList,
  /** verbs that also name what they measure (`研发投入`, `营业收入`): read as nouns inside a metric */
  nominal_verbs: wordList,
  /** a bare figure after these names a level on a scale (`智能制造发展指数62.2`) */
  index_words: wordList,
  /** currencies implied by these metric words when no unit is printed (`产值突破60亿`) */
  money_words: wordList,
  /** between a change and the figure after it, these make that figure the level the change led to (`下降12%至235亿元`): it takes the change's metric */
  level_after_change: wordList,
});

export const RULE_FILES = {
  numerals: numeralsSchema,
  units: unitsSchema,
  qualifiers: qualifiersSchema,
  nonfacts: nonfactsSchema,
  time: timeSchema,
  kinds: kindsSchema,
  modality: modalitySchema,
  subjects: subjectsSchema,
  metrics: metricsSchema,
} as const;

export type RuleFileName = keyof typeof RULE_FILES;
export type RuleData = { [K in RuleFileName]: z.infer<(typeof RULE_FILES)[K]> };
