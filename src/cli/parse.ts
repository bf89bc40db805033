// `cnfacts parse`: facts (or, with --all, every numeric expression) in a text given on the command line or on stdin.
import readline from 'node:readline';
import { extractDocument } from '../extract/document.js';
import { getRules } from '../rules/load.js';

export interface ParseOptions {
  all?: boolean;
  published?: string;
  rules?: string;
}

export async function parseCommand(text: string | undefined, opts: ParseOptions): Promise<number> {
  const R = getRules(opts.rules);
  const emit = (t: string, line?: number) => {
    const r = extractDocument(t, { doc: '-', published: opts.published ?? null, rules: R });
    const items = opts.all ? r.expressions : r.facts;
    for (const item of items) process.stdout.write(JSON.stringify(line === undefined ? item : { line, ...item }) + '\n');
  };
  if (text !== undefined) {
    emit(text);
    return 0;
  }
  // no text: each line of standard input is its own text
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim()) emit(line, n);
  }
  return 0;
}
