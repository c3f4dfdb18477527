import {
  derivedMessageId,
  hasOwnMessageIdShape,
  newMessageIdKey,
  randomMessageId,
} from '../../shared/outbound/message-id';

describe('Message-IDs of case mail', () => {
  const key = newMessageIdKey();

  it('derives the same id for the same mail on every retry, another for another mail', () => {
    const first = derivedMessageId(key, 'SEC-2026-0001/ack', 'example.org');
    expect(derivedMessageId(key, 'SEC-2026-0001/ack', 'example.org')).toBe(first);
    expect(derivedMessageId(key, 'SEC-2026-0001/copy', 'example.org')).not.toBe(first);
    // Another case's secret gives another id: ids cannot be guessed from the key alone.
    expect(derivedMessageId(newMessageIdKey(), 'SEC-2026-0001/ack', 'example.org')).not.toBe(first);
  });

  it('recognises its own shape for the domain, and nothing else', () => {
    const own = derivedMessageId(key, 'k', 'example.org');
    expect(hasOwnMessageIdShape(own, 'Example.ORG')).toBe(true);
    expect(hasOwnMessageIdShape(randomMessageId('example.org'), 'example.org')).toBe(true);
    expect(hasOwnMessageIdShape(own, 'example.net')).toBe(false);
    expect(hasOwnMessageIdShape('<CAKx1y2z@mail.gmail.com>', 'example.org')).toBe(false);
    expect(hasOwnMessageIdShape(own.replace('<', ''), 'example.org')).toBe(false);
  });
});
