// Every example kept beside the rules in rules/*.yaml runs here, one test each.
// An example marked `todo` is a known failure kept visible: it must still fail.
import { describe, expect, test } from 'vitest';
import { loadRuleData } from '../src/rules/load.js';
import { exampleProblems } from '../src/rules/examples.js';

for (const [file, rules] of Object.entries(loadRuleData())) {
  describe(`rules/${file}.yaml`, () => {
    for (const ex of rules.examples) {
      const name = `${ex.mode === 'all' ? '[all] ' : ''}${ex.text}`;
      if (ex.todo) test.fails(`${name} (known failure: ${ex.todo})`, () => expect(exampleProblems(ex)).toEqual([]));
      else test(name, () => expect(exampleProblems(ex)).toEqual([]));
    }
  });
}
