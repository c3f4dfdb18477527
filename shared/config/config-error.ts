import { EmbargoError } from '../errors';

/** Configuration that cannot be used; `problems` lists one actionable line per bad field. */
export class ConfigError extends EmbargoError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      'CONFIG_INVALID',
      `Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      'Correct each field listed (docs/configuration.md describes them all), then run this again.',
    );
  }
}
