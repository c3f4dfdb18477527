import * as z from 'zod';
import {
  describeUnknownFields,
  suggestField,
  unknownFieldsError,
} from '../../shared/config/unknown-fields';

describe('unknown configuration fields', () => {
  const known = ['publicKeyFile', 'email', 'name'];

  it('suggests the known field a typo is close to, and none for an unrelated word', () => {
    expect(suggestField('publicKey', known)).toBe('publicKeyFile');
    expect(suggestField('emial', known)).toBe('email');
    expect(suggestField('colour', known)).toBeUndefined();
    expect(suggestField('phone', known)).toBeUndefined(); // 3 of 4 letters differ from name
    expect(suggestField('x', [])).toBeUndefined();
  });

  it('describes each unknown field with its suggestion or the known fields', () => {
    expect(describeUnknownFields(['publicKey', 'colour'], known)).toBe(
      'unknown field "publicKey" (did you mean "publicKeyFile"?); ' +
        'unknown field "colour" (known fields: publicKeyFile, email, name)',
    );
  });

  it("gives a strict zod object's unknown fields that message, and keeps zod's for the rest", () => {
    const shape = { email: z.string(), name: z.string() };
    const schema = z.strictObject(shape, { error: unknownFieldsError(shape) });
    const messages = (input: unknown) =>
      schema.safeParse(input).error?.issues.map((issue) => issue.message);
    expect(messages({ email: 'a@b', name: 'A', emial: 'x' })).toEqual([
      'unknown field "emial" (did you mean "email"?)',
    ]);
    expect(messages({ email: 1, name: 'A' })).toEqual([expect.stringMatching(/expected string/i)]);
  });
});
