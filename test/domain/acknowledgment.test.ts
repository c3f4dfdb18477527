import { buildAcknowledgment } from '../../shared/domain/acknowledgment';
import { formatCaseId } from '../../shared/domain/case-id';
import type { CaseRecord } from '../../shared/domain/case-record';
import { testConfig } from '../support/local-stores';

const record: CaseRecord = {
  id: formatCaseId(2026, 7),
  status: 'new',
  reporter: { address: 'alice@example.net', name: 'Alice' },
  subject: 'Click here: evil.example/phish',
  receivedAt: '2026-11-25T09:00:00.000Z',
  ackDueAt: '2026-11-27T09:00:00.000Z',
  reportMessageId: 'ses-id',
  reportMessageIdHeader: '<r1@example.net>',
  reporterReplyToken: 'abcdefghijklmnopqrstuvwxyz',
  history: [],
};

describe('the acknowledgment', () => {
  const ack = buildAcknowledgment(record, {
    ...testConfig,
    project: 'cryptolib',
    ackWithinHours: 48,
  });

  it('comes from the security address, threaded to the report, marked automatic', () => {
    expect(ack.from.address).toBe('security@example.org');
    expect(ack.to.address).toBe('alice@example.net');
    expect(ack.inReplyTo).toBe('<r1@example.net>');
    expect(ack.references).toEqual(['<r1@example.net>']);
    expect(ack.autoSubmitted).toBe('auto-replied');
  });

  it('carries the case tag and routes replies to the case by token', () => {
    expect(ack.subject.startsWith('[SEC-2026-0007] ')).toBe(true);
    expect(ack.replyTo).toBe('security+abcdefghijklmnopqrstuvwxyz@example.org');
    expect(ack.text).toContain('SEC-2026-0007');
  });

  it('states the promise with its deadline and what happens next', () => {
    expect(ack.text).toContain('within 48 hours');
    expect(ack.text).toContain('2026-11-27 09:00 UTC');
    expect(ack.text).toMatch(/disclosure/);
    expect(ack.text).toContain('cryptolib security team');
  });

  it('echoes nothing the sender wrote, not even the subject', () => {
    expect(ack.subject).not.toContain('evil.example');
    expect(ack.text).not.toContain('evil.example');
  });

  it('has a stable idempotency key per case', () => {
    expect(ack.idempotencyKey).toBe(buildAcknowledgment(record, testConfig).idempotencyKey);
  });
});
