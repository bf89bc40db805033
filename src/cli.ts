#!/usr/bin/env -S node --max-semi-space-size=6
// The cnfacts command line. Each command lives in src/cli/<command>.ts;
// this file only declares them, their options and their help.
//
// The flag above sizes the young generation of every thread of the process (it overrides
// a worker's resourceLimits): 6 MB semi-spaces. The extraction threads make many
// short-lived objects and want a large nursery (measured on the 100 MB synthetic corpus:
// 2 MB semi-spaces took 109 CPU-s, 6 MB 69 CPU-s), while the main thread, left to V8's
// default, grows its own to 16 MB semi-spaces for the facts it holds until their batch
// is written (without the flag: 500 MB peak; with it: 480 MB). A flag like this can only
// be given when node starts, so `npm start` and the benchmark pass it too.
import { Command, Option } from 'commander';
import { PACKAGE_VERSION } from './version.js';
import { DEFAULT_SAMPLE, DEFAULT_SEED, EXIT, guarded, parseConcurrency, parseDate, parsePort, parseSampleSize, parseSize, parseYear } from './cli/common.js';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_BYTES } from './ingest/read.js';

// Each command's module is imported when that command runs: extract does not load the review
// server, nor serve the extraction pipeline (all of them at start-up took about 0.1 s more).

const DEFAULT_DB = 'output/facts.sqlite';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('cnfacts')
    .description('Turns Chinese news text into a database of checkable facts: every figure with its value, unit, qualifier, subject, metric and year, traced to its place in the source.')
    .version(PACKAGE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ cnfacts extract corpus                       # every .txt and .jsonl under corpus/ into ${DEFAULT_DB}
  $ cnfacts export --db ${DEFAULT_DB} --format jsonl --out facts.jsonl
  $ cnfacts parse "2023年，渝北区规上工业总产值3512.5亿元，增长15.8%。"
  $ cnfacts facts --db ${DEFAULT_DB} --subject 渝北区 --metric 研发
  $ cnfacts serve --db ${DEFAULT_DB}                  # review in the browser at http://127.0.0.1:8765/
  $ cnfacts audit --db ${DEFAULT_DB} --stats

Exit status: ${EXIT.ok} all went in; ${EXIT.someFailed} some inputs failed (listed, and kept in the errors table);
${EXIT.usage} the command could not run (bad arguments, bad rule file, missing database); ${EXIT.interrupted} interrupted.`,
    );

  program
    .command('extract')
    .description('Extract facts from text files, folders, globs or JSON Lines feeds into a SQLite database, on every core. Unchanged documents are skipped; changed ones have their facts replaced.')
    .argument('<inputs...>', 'files, folders (every .txt and .jsonl inside) or glob patterns')
    .option('--db <file>', 'database to write', DEFAULT_DB)
    .option('--force', 'extract every document again, even unchanged ones')
    .option('--rehash', 'read and hash every file, even one whose size, times and inode show it untouched since it was stored')
    .option('--published <date>', 'publication date of plain-text inputs (YYYY-MM-DD): resolves 今年, 去年 to years', parseDate)
    .option('--concurrency <n>', `worker threads extracting, one jieba each (default: one per core, here ${os.availableParallelism()}; 0 extracts on the main thread)`, parseConcurrency)
    .option('--max-size <size>', 'largest document: a text file, or one line of a feed (e.g. 512KB, 4MB); larger ones are recorded as too-large', parseSize, DEFAULT_MAX_BYTES)
    .option('--json', 'print the run summary as one JSON object on standard output')
    .option('--quiet', 'print nothing but the inputs that failed')
    .option('--progress-interval <seconds>', 'when standard error is not a terminal, print a progress line this often', (v) => Number(v), 5)
    .option('--rules <dir>', 'rules folder to use instead of the built-in rules/')
    .addHelpText(
      'after',
      `
Documents are named by their path relative to the folder given (or to the current directory for single files); JSON Lines feeds give {"id","text","published","url","title"} per line and are named by id.
A document is unchanged when its text hashes (sha256) to the stored one. A file whose device, inode, size and modification and change times are those stored with its documents is not even read: every write moves the change time, which no program can set back. --rehash reads and hashes such files too.
Progress goes to standard error: a bar on a terminal, a line every few seconds otherwise. SIGINT (Ctrl-C) or SIGTERM stops after the documents in flight.

Exit status: ${EXIT.ok} all went in; ${EXIT.someFailed} some inputs failed (listed, and kept in the errors table); ${EXIT.usage} the command could not run; ${EXIT.interrupted} interrupted.

Examples:
  $ cnfacts extract archive/ --db news.sqlite                 # again tomorrow: only new and changed files are extracted
  $ cnfacts extract 'feeds/*.jsonl' --concurrency 2 --json    # one JSON summary on stdout for scripts
  $ cnfacts extract archive/ --max-size 4MB --quiet`,
    )
    .action((inputs: string[], opts) => guarded(async () => (await import('./cli/extract.js')).extractCommand(inputs, opts)));

  program
    .command('export')
    .description('Write the facts of a database as JSON Lines or CSV, with the fields of the fact spec plus provenance.')
    .option('--db <file>', 'database to read', DEFAULT_DB)
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'file to write (default: standard output)')
    .option('--subject <name>', 'only facts about this subject')
    .option('--metric <text>', 'only facts whose metric contains this text')
    .option('--year <year>', 'only facts of this year', parseYear)
    .option('--doc <path>', 'only facts of this document')
    .addOption(new Option('--verdict <which>', 'only facts reviewers accepted (as they are or corrected), rejected, left unreviewed, or all; adds the verdict and corrected columns').choices(['accepted', 'rejected', 'unreviewed', 'all']))
    .addHelpText('after', `\nReviewers' corrections (cnfacts serve) are applied to every fact exported.\n\nExamples:\n  $ cnfacts export --db ${DEFAULT_DB} --verdict accepted --out reviewed.jsonl`)
    .action((opts) => guarded(async () => (await import('./cli/export.js')).exportCommand(opts)));

  program
    .command('parse')
    .description('Print the facts in a text as JSON lines (doc is "-"). Without a text, each line of standard input is its own text and every fact carries its line number.')
    .argument('[text]', 'the text to read; omit to read standard input')
    .option('--all', 'print every numeric expression recognised, fact or not, with its value, unit, qualifier and the reason it is not a fact')
    .option('--published <date>', 'publication date (YYYY-MM-DD): resolves 今年, 去年 to years', parseDate)
    .option('--rules <dir>', 'rules folder to use instead of the built-in rules/')
    .addHelpText('after', `\nExamples:\n  $ cnfacts parse "超4.7万人"\n  $ cnfacts parse --all "一千二百三十四"\n  $ printf '两百点五\\n第一百一十九\\n' | cnfacts parse --all`)
    .action((text: string | undefined, opts) => guarded(async () => (await import('./cli/parse.js')).parseCommand(text, opts)));

  program
    .command('facts')
    .description('List facts in a readable table: subject · metric · year, the value, and the sentence with the figure marked 【like this】.')
    .option('--db <file>', 'database to read', DEFAULT_DB)
    .option('--subject <name>', 'only facts about this subject (exact, e.g. 渝北区)')
    .option('--metric <text>', 'only facts whose metric contains this text (e.g. 研发)')
    .option('--year <year>', 'only facts of this year', parseYear)
    .option('--doc <path>', 'only facts of this document')
    .option('--kind <kind>', 'only amount, change, share or rank')
    .option('--limit <n>', 'show at most n facts', (v) => Number(v), 50)
    .option('--offset <n>', 'skip the first n facts', (v) => Number(v))
    .option('--json', 'one JSON object per fact, with the marked sentence')
    .action((opts) => guarded(async () => (await import('./cli/facts.js')).factsCommand(opts)));

  program
    .command('eval')
    .description('Extract the documents a gold file covers and score them as the fact spec defines (detection, field accuracy, fact F1).')
    .option('--gold <file>', 'gold facts (JSON Lines)', 'tests/gold/dev.jsonl')
    .option('--corpus <dir>', 'folder holding the documents the gold names', 'corpus')
    .option('--errors', 'also print every miss, spurious fact and wrong field')
    .option('--json', 'print the scores as JSON')
    .option('--rules <dir>', 'rules folder to use instead of the built-in rules/')
    .action((opts) => guarded(async () => (await import('./cli/eval.js')).evalCommand(opts)));

  program
    .command('rules')
    .description('Check a rules folder: every rule file valid (or file:line and the reason), and with --examples every example beside the rules holding.')
    .option('--rules <dir>', 'rules folder to check instead of the built-in rules/')
    .option('--examples', 'also run every example and report those that fail')
    .addHelpText('after', `\nExit status: 0 valid (and all examples hold), 1 some examples fail, 2 a rule file is invalid.`)
    .action((opts) => guarded(async () => (await import('./cli/rules.js')).rulesCommand(opts)));

  program
    .command('serve')
    .description('Review facts in the browser: a list with filters, each fact against its sentence, whole documents with every number marked, and figures that disagree across documents. Accept, reject or correct each fact.')
    .option('--db <file>', 'database to review', DEFAULT_DB)
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 8765)
    .option('--host <address>', 'address to listen on; keep the loopback default unless you mean to share the store', '127.0.0.1')
    .option('--read-only', 'serve without editing: verdicts are shown but cannot be changed')
    .option('--reviewer <name>', 'name recorded with each verdict (default: the login name)')
    .option('--rules <dir>', 'rules folder used to mark the numbers that are not facts (default: the built-in rules/)')
    .addHelpText('after', `\nKeys in the page: j/k move, a accept, r reject, e edit, u undo, ? for all.\n\nExamples:\n  $ cnfacts serve --db ${DEFAULT_DB}\n  $ cnfacts serve --db ${DEFAULT_DB} --port 9000 --read-only`)
    .action((opts) => guarded(async () => (await import('./cli/serve.js')).serveCommand(opts)));

  program
    .command('audit')
    .description('Print a reproducible random sample of facts for spot checks, or (--stats) review progress and the acceptance rate of every rule, weakest first, with verdicts whose figure was not found again.')
    .option('--db <file>', 'database to read', DEFAULT_DB)
    .option('--sample <n>', `how many facts to draw (default ${DEFAULT_SAMPLE})`, parseSampleSize)
    .option('--seed <seed>', `seed of the draw: the same seed and store give the same sample (default ${DEFAULT_SEED})`)
    .option('--stats', 'print review progress, acceptance per rule and orphaned verdicts instead of a sample')
    .addOption(new Option('--verdict <which>', 'draw only from facts with this verdict').choices(['all', 'unreviewed', 'reviewed', 'accepted', 'rejected', 'corrected']))
    .option('--rule <id>', 'draw only from facts this rule contributed to (e.g. a weak one from --stats)')
    .option('--doc <path>', 'draw only from this document')
    .option('--json', 'one JSON object per fact (or the statistics as one object)')
    .addHelpText('after', `\nExamples:\n  $ cnfacts audit --db ${DEFAULT_DB} --sample 30 --seed 2024\n  $ cnfacts audit --db ${DEFAULT_DB} --stats`)
    .action((opts) => guarded(async () => (await import('./cli/audit.js')).auditCommand(opts)));

  return program;
}

/**
 * Run when executed, not when imported (the documentation test imports it). Executed
 * also means through a link: npm installs the `cnfacts` command as a symbolic link to
 * this file, so the paths are compared once links are resolved.
 */
function invokedAsCommand(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return fs.realpathSync(script) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedAsCommand()) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e: Error) => {
      console.error(`cnfacts: ${e.message}`);
      process.exitCode = EXIT.usage;
    });
}
