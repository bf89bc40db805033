// `cnfacts rules`: check a rules folder — every file valid, every example holding — before using it.
import { loadRuleData, defaultRulesDir } from '../rules/load.js';
import { compileRules } from '../rules/compile.js';
import { exampleProblems } from '../rules/examples.js';

export interface RulesOptions {
  rules?: string;
  examples?: boolean;
}

export async function rulesCommand(opts: RulesOptions): Promise<number> {
  const dir = opts.rules ?? defaultRulesDir();
  const data = loadRuleData(dir); // throws RuleFileError with file:line on a bad file
  let examples = 0, failed = 0, todo = 0, fixed = 0;
  const compiled = compileRules(data, dir);
  for (const [file, rules] of Object.entries(data)) {
    const n = rules.examples.length;
    let line = `${file}.yaml: valid, ${n} examples`;
    if (opts.examples) {
      const bad: string[] = [];
      for (const ex of rules.examples) {
        examples++;
        const problems = exampleProblems(ex, compiled);
        if (ex.todo) {
          todo++;
          if (!problems.length) {
            fixed++;
            bad.push(`  now passes, remove its todo: ${ex.text}`);
          }
        } else if (problems.length) {
          failed++;
          bad.push(`  FAILS: ${ex.text}\n${problems.map((p) => `    ${p}`).join('\n')}`);
        }
      }
      line += bad.length ? `\n${bad.join('\n')}` : '';
    }
    console.log(line);
  }
  if (opts.examples) console.log(`${examples} examples: ${examples - failed - todo} hold, ${failed} fail, ${todo} known failures (todo)${fixed ? `, ${fixed} of them now pass` : ''}`);
  return failed > 0 ? 1 : 0;
}
