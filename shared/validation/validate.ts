import { safeParse, type ZodMiniType, type output } from 'zod/mini';
import { en } from 'zod/locales';

/*
 * The schemas on a Lambda's path (events, environment, bundled configuration) use zod's
 * tree-shakable build, `zod/mini`: about 25 KiB bundled where `zod` costs 445 KiB. It ships
 * without messages (every issue reads "Invalid input"), so each parse gets the English ones that
 * `zod` uses, and a refused event or setting says what is wrong with it.
 */
const messages = en().localeError;

export type Validation<T> = { success: true; data: T } | { success: false; problems: string[] };

/** Checks `input` against `schema`; problems are one line per issue: where, and what is wrong. */
export function validate<S extends ZodMiniType>(
  schema: S,
  input: unknown,
  /** Put before each issue's path, e.g. where in an outer document `input` came from. */
  prefix?: string,
): Validation<output<S>> {
  const parsed = safeParse(schema, input, { error: messages });
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    problems: parsed.error.issues.map((issue) => {
      const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
      return `${path.length ? path.join('.') : '(top level)'}: ${issue.message}`;
    }),
  };
}
