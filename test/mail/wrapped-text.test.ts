import { MAIL_TEXT_WIDTH, wrapParagraph } from '../../shared/mail/wrapped-text';

describe('wrapParagraph', () => {
  const words = 'The advance notice goes to the distributors seven days before the date.';

  it('keeps every line within the width, the words in their order', () => {
    const lines = wrapParagraph(words.repeat(3));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAIL_TEXT_WIDTH);
    expect(lines.join(' ')).toBe(words.repeat(3));
  });

  it('indents continuation lines by the hanging text, within the width', () => {
    const lines = wrapParagraph(`- ${words}`, ' '.repeat(8), 30);
    expect(lines[0]!.startsWith('- The')).toBe(true);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {8}\S/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('leaves a word longer than the width whole, on its own line', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(wrapParagraph(`Vector: ${vector} here`, '', 20)).toEqual(['Vector:', vector, 'here']);
  });

  it('returns a short paragraph as one line', () => {
    expect(wrapParagraph('short')).toEqual(['short']);
  });
});
