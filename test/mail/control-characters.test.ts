import { escapeControls } from '../../shared/mail/control-characters';

describe('escapeControls', () => {
  it('shows control and bidi characters as \\uXXXX', () => {
    expect(escapeControls('a\u001b[31mred')).toBe('a\\u001b[31mred');
    expect(escapeControls('x\u0085y\u009fz')).toBe('x\\u0085y\\u009fz');
    expect(escapeControls('\u202a\u202e\u2066\u2069')).toBe('\\u202a\\u202e\\u2066\\u2069');
  });

  it('turns a tab into a space and leaves other text as it is', () => {
    expect(escapeControls('a\tb')).toBe('a b');
    expect(escapeControls('Grüße, 日本, emoji 🙂, \u200d')).toBe('Grüße, 日本, emoji 🙂, \u200d');
  });
});
