// `cnfacts eval`: extract the documents a gold file covers and score the result against it.
import fs from 'node:fs';
import path from 'node:path';
import { extractDocument } from '../extract/document.js';
import { getRules } from '../rules/load.js';
import { formatScore, scoreFacts, type GoldFact } from '../eval/score.js';
import { UsageError } from './common.js';

export interface EvalOptions {
  gold: string;
  corpus: string;
  errors?: boolean;
  json?: boolean;
  rules?: string;
}

export function readGold(file: string): GoldFact[] {
  if (!fs.existsSync(file)) throw new UsageError(`no gold file at ${file}`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as GoldFact;
      } catch (e) {
        throw new UsageError(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
    });
}

export function evaluate(goldFile: string, corpus: string, rulesDir?: string) {
  const gold = readGold(goldFile);
  const R = getRules(rulesDir);
  const docs = [...new Set(gold.map((g) => g.doc))];
  const predicted = docs.flatMap((doc) => {
    const file = path.join(corpus, doc);
    if (!fs.existsSync(file)) throw new UsageError(`the gold names ${doc}, which is not in ${corpus}`);
    return extractDocument(fs.readFileSync(file, 'utf8'), { doc, rules: R }).facts;
  });
  return scoreFacts(gold, predicted);
}

export async function evalCommand(opts: EvalOptions): Promise<number> {
  const score = evaluate(opts.gold, opts.corpus, opts.rules);
  if (opts.json) {
    process.stdout.write(JSON.stringify(opts.errors ? score : { ...score, errors: undefined }, null, 2) + '\n');
    return 0;
  }
  if (opts.errors) for (const e of score.errors) process.stdout.write(JSON.stringify(e) + '\n');
  console.log(formatScore(score));
  return 0;
}
