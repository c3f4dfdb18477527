import * as z from 'zod/mini';
import { validate } from '../../shared/validation/validate';

describe('validate', () => {
  const schema = z.object({ name: z.string(), ports: z.array(z.number()) });

  it('returns the parsed value', () => {
    expect(validate(schema, { name: 'a', ports: [25] })).toEqual({
      success: true,
      data: { name: 'a', ports: [25] },
    });
  });

  it("gives one line per problem, with where and zod's English message (not 'Invalid input')", () => {
    const result = validate(schema, { name: 3, ports: [25, 'x'] });
    expect(result.success).toBe(false);
    const problems = result.success ? [] : result.problems;
    expect(problems).toEqual([
      expect.stringMatching(/^name: .*expected string/i),
      expect.stringMatching(/^ports\.1: .*expected number/i),
    ]);
  });

  it('puts the prefix before each path, and names the top level', () => {
    expect(validate(schema, { name: 3, ports: [] }, 'config')).toMatchObject({
      problems: [expect.stringMatching(/^config\.name: /)],
    });
    expect(validate(schema, 'text')).toMatchObject({
      problems: [expect.stringMatching(/^\(top level\): /)],
    });
  });
});
