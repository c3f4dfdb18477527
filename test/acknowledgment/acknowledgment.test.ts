import { buildAcknowledgment } from '../../shared/acknowledgment/acknowledgment';
import { formatCaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
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
  protection: { encryption: 'none', signatures: [] },
  version: 1,
  history: [],
};

const FINGERPRINT = 'E39DED73614B268C1B584FD5FC40A00D5F2618F5';

describe('the acknowledgment', () => {
  const ack = buildAcknowledgment(
    record,
    { ...testConfig, project: 'cryptolib', ackWithinHours: 48 },
    FINGERPRINT,
  );

  it('is marked as an automatic reply and tagged with the case', () => {
    expect(ack.autoSubmitted).toBe('auto-replied');
    expect(ack.subject.startsWith('[SEC-2026-0007] ')).toBe(true);
    expect(ack.text).toContain('SEC-2026-0007');
    expect(ack.text).toContain('reply to this message');
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

  it('gives the project key fingerprint for encrypting', () => {
    expect(ack.text).toContain('E39D ED73 614B 268C 1B58 4FD5 FC40 A00D 5F26 18F5');
    expect(ack.text).not.toContain('could not decrypt');
  });

  it('tells the reporter when their mail could not be decrypted, without any of its content', () => {
    const failed = buildAcknowledgment(
      {
        ...record,
        protection: { encryption: 'pgp-mime', failure: 'not-for-project-key', signatures: [] },
      },
      testConfig,
      FINGERPRINT,
    );
    expect(failed.text).toContain('We could not decrypt your message');
    expect(failed.text).toContain('E39D ED73 614B 268C');
    expect(failed.text).not.toContain('evil.example');
  });

  it('has a stable key, so a retry sends nothing new', () => {
    expect(ack.key).toBe(buildAcknowledgment(record, testConfig, FINGERPRINT).key);
  });
});
