import { chainEvents, verifyChain } from '../../shared/cases/case-history';
import type { CaseEvent } from '../../shared/cases/case-record';

const event = (id: string, summary = id): CaseEvent => ({
  id,
  at: '2026-11-25T09:00:00.000Z',
  type: 'follow-up',
  actor: 'alice@example.net',
  summary,
});

describe('the hash-chained history', () => {
  const first = chainEvents([], [event('a'), event('b')]);
  const history = [...first, ...chainEvents(first, [event('c')])];

  it('links every entry to the one before', () => {
    expect(verifyChain(history)).toEqual({ intact: true });
    expect(new Set(history.map((e) => e.hash)).size).toBe(3);
  });

  it('shows a changed entry', () => {
    const tampered = history.map((e) => (e.id === 'b' ? { ...e, summary: 'nothing happened' } : e));
    expect(verifyChain(tampered)).toEqual({ intact: false, brokenAt: 1, eventId: 'b' });
  });

  it('shows a removed or reordered entry', () => {
    expect(verifyChain([history[0]!, history[2]!])).toMatchObject({ intact: false, brokenAt: 1 });
    expect(verifyChain([history[1]!, history[0]!, history[2]!])).toMatchObject({
      intact: false,
      brokenAt: 0,
    });
  });

  it('does not depend on key order (canonical JSON)', () => {
    const reordered = history.map(
      (e) => Object.fromEntries(Object.entries(e).reverse()) as unknown as CaseEvent,
    );
    expect(verifyChain(reordered)).toEqual({ intact: true });
  });
});
