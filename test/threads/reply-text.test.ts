import { newReplyText } from '../../shared/threads/reply-text';

describe('the new text of a reply', () => {
  it('drops the quoted mail, its attribution line and the signature block', () => {
    const text = [
      'Thanks, we can reproduce it.',
      '',
      'On Wed, 25 Nov 2026, example security team <security@example.org> wrote:',
      '> Case:         SEC-2026-0001',
      '> From:         alice@example.net',
      '',
      '-- ',
      'Mia Maintainer <mia@example.org>',
    ].join('\n');
    expect(newReplyText(text)).toBe('Thanks, we can reproduce it.');
  });

  it('keeps inline answers between quotes', () => {
    expect(newReplyText('> question?\nanswer.\n> another?\nsecond answer.')).toBe(
      'answer.\nsecond answer.',
    );
  });
});
