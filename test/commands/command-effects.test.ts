import { parseCommands } from '../../shared/commands/case-commands';
import type { CaseRecord } from '../../shared/cases/case-record';
import { commandEffects } from '../../shared/commands/command-effects';

const NOW = new Date('2026-11-25T09:00:00Z');
const base = { id: 'SEC-2026-0001', status: 'new', history: [] } as unknown as CaseRecord;

function effects(text: string, record: CaseRecord = base) {
  const parsed = parseCommands(text, NOW);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return commandEffects(record, parsed.commands, parsed.body, []);
}

describe('what commands change', () => {
  it('sets fields, lists each change, and moves a new case to triaged', () => {
    const result = effects('/title Overflow\n/severity high\n/urgent');
    expect(result.fields).toEqual({
      title: 'Overflow',
      severity: 'high',
      urgent: true,
      status: 'triaged',
    });
    expect(result.changes).toEqual([
      'title: (unset) → Overflow',
      'severity: (unset) → high',
      'urgent: (unset) → true',
      'status: new → triaged',
    ]);
  });

  it('reports no change for values already set', () => {
    expect(
      effects('/severity high', { ...base, status: 'triaged', severity: 'high' }).changes,
    ).toEqual([]);
  });

  it('closes and reopens', () => {
    expect(effects('/close duplicate SEC-2026-0002').fields).toEqual({
      status: 'closed',
      resolution: 'duplicate',
      duplicateOf: 'SEC-2026-0002',
      resolvedAt: expect.any(String),
    });
    const reopened = effects('/reopen', { ...base, status: 'closed', resolution: 'fixed' });
    expect(reopened.fields).toEqual({ status: 'triaged', resolution: undefined });
  });

  it('takes the rest of the mail as the advisory', () => {
    expect(effects('/advisory\n\nA heap overflow in parse().').fields.advisory).toBe(
      'A heap overflow in parse().',
    );
  });

  it('releases a held acknowledgment, and changes nothing when none is held', () => {
    const held = { ...base, status: 'triaged', ackHeld: 'DMARC FAIL' } as CaseRecord;
    expect(effects('/ack', held)).toMatchObject({
      fields: { ackHeld: undefined },
      changes: ['acknowledgment held: DMARC FAIL → (unset)'],
    });
    expect(effects('/ack', { ...base, status: 'triaged' }).changes).toEqual([]);
    expect(parseCommands('/ack now', NOW)).toMatchObject({
      ok: false,
      errors: [{ reason: '/ack takes no arguments' }],
    });
  });

  it('flags /internal and /status without changing anything', () => {
    const result = effects('/internal\n/status', { ...base, status: 'triaged' });
    expect(result).toMatchObject({ internal: true, wantsStatus: true, changes: [] });
  });
});

describe('endings, labels and notes', () => {
  const AT = '2026-11-26T10:00:00.000Z';
  const ended = (text: string, record: CaseRecord = base) => {
    const parsed = parseCommands(text, NOW);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return commandEffects(record, parsed.commands, parsed.body, [], undefined, AT);
  };

  it('records the ending, its reason and when, for /invalid and /close', () => {
    expect(ended('/invalid not reproducible').fields).toEqual({
      status: 'closed',
      resolution: 'invalid',
      resolutionReason: 'not reproducible',
      resolvedAt: AT,
    });
    expect(ended('/close').fields).toEqual({
      status: 'closed',
      resolution: 'closed',
      resolvedAt: AT,
    });
    expect(ended('/close out-of-scope examples only').fields.resolution).toBe('out-of-scope');
  });

  it('keeps the first time of an ending given again, and clears it all on /reopen', () => {
    const closed = {
      ...base,
      status: 'closed',
      resolution: 'invalid',
      resolutionReason: 'spam',
      resolvedAt: AT,
    } as CaseRecord;
    expect(ended('/invalid spam', closed).changes).toEqual([]);
    expect(ended('/reopen', closed).fields).toEqual({
      status: 'triaged',
      resolution: undefined,
      resolutionReason: undefined,
      resolvedAt: undefined,
    });
  });

  it('adds and removes labels, sorted, and takes a note and a reply apart from the fields', () => {
    const labelled = { ...base, labels: ['parser'] } as CaseRecord;
    const result = ended(
      '/label needs-info\n/note ask Bob\n/reply out-of-scope examples',
      labelled,
    );
    expect(result.fields.labels).toEqual(['needs-info', 'parser']);
    expect(result.changes).toContain('labels: parser → needs-info, parser');
    expect(result.note).toBe('ask Bob');
    expect(result.reply).toEqual({ template: 'out-of-scope', rule: 'examples' });
    expect(ended('/unlabel parser', labelled).fields).toEqual({
      labels: undefined,
      status: 'triaged',
    });
  });
});
