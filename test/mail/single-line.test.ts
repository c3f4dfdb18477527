import { singleLine } from '../../shared/mail/single-line';

describe('singleLine', () => {
  it('joins lines, so outside text cannot forge a line of its own', () => {
    expect(singleLine('550 5.1.1 user unknown\r\nX-Forged: yes', 80)).toBe(
      '550 5.1.1 user unknown X-Forged: yes',
    );
    expect(singleLine('a\u2028b\u2029c\u0085d', 80)).toBe('a b c d');
  });

  it('shows bidi controls as \\uXXXX rather than letting them reorder the text', () => {
    expect(singleLine('invoice\u202Egpj.exe', 80)).toBe('invoice\\u202egpj.exe');
  });

  it('cuts at max characters and marks the cut', () => {
    expect(singleLine('  abcdefghij  ', 4)).toBe('abcd…');
    expect(singleLine('abcd', 4)).toBe('abcd');
  });
});
