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
