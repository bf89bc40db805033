// How a problem in a rule file is reported: the file, the line and the reason. Apart from
// the loader, so that the command line can recognise it without loading the YAML parser.
export class RuleFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'RuleFileError';
  }
}
