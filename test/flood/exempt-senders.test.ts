import { randomBytes } from 'node:crypto';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { MailDelivery, Verdict } from '../../shared/mail/inbound-mail';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { readMaildir } from '../support/maildir';
import {
  memoryLogger,
  startStores,
  testConfig,
  type LogLine,
  type Stores,
} from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

describe('exempt senders, against real local DynamoDB and S3 servers', () => {
  let stores: Stores;
  let lines: LogLine[];
  const now = new Date('2026-11-25T09:00:00Z');
  beforeEach(async () => {
    stores = await startStores();
    lines = [];
  });
  afterEach(() => stores.stop());

  const withExempt = (exemptSenders: string[], flood: Partial<EmbargoConfig['flood']> = {}) =>
    stores.services({
      clock: { now: () => now },
      log: memoryLogger(lines),
      config: {
        ...testConfig,
        flood: { ...testConfig.flood, reportsPerAddress: 2, ...flood, exemptSenders },
      },
    });

  /** A report from `from`, with the DMARC verdict the receiving service gave it. */
  async function report(services: EmbargoServices, from: string, dmarc: Verdict) {
    const delivery: MailDelivery = {
      messageId: randomBytes(10).toString('hex'),
      receivedAt: now,
      envelopeFrom: from,
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: dmarc === 'PASS' ? 'PASS' : 'GRAY', dmarc },
    };
    await services.rawMail.put(delivery.messageId, Buffer.from(rawMessage({ from })));
    return (await services.intake.receive(delivery)).kind;
  }
  const kinds = async (services: EmbargoServices, from: string, dmarc: Verdict, n: number) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await report(services, from, dmarc));
    return out;
  };
  const noticesTo = async (address: string) =>
    (await readMaildir(stores.outboxDir)).filter(
      (m) => m.deliveredTo === address && m.parsed.subject?.includes('is collected'),
    );

  it('never counts an exempt address whose mail passed DMARC: every report opens a case', async () => {
    const services = withExempt(['cve-request@mitre.example']);
    expect(await kinds(services, 'cve-request@mitre.example', 'PASS', 6)).toEqual(
      Array(6).fill('case'),
    );
    expect(await noticesTo('cve-request@mitre.example')).toHaveLength(0);
    expect(lines.filter((l) => l.event === 'intake.flood-exempt')).toHaveLength(6);
    // Another address at the same domain is not exempt.
    expect(await kinds(services, 'someone@mitre.example', 'PASS', 3)).toEqual([
      'case',
      'case',
      'flood',
    ]);
  });

  it('counts mail that only claims to be from an exempt sender (no DMARC PASS) like anyone else', async () => {
    const services = withExempt(['cve-request@mitre.example', 'distro.example']);
    // A forged From (DMARC FAIL) and a domain SES could not verify (GRAY, as in local mode).
    expect(await kinds(services, 'cve-request@mitre.example', 'FAIL', 3)).toEqual([
      'case',
      'case',
      'flood',
    ]);
    expect(await kinds(services, 'security@distro.example', 'GRAY', 3)).toEqual([
      'case',
      'case',
      'flood',
    ]);
    expect(await noticesTo('cve-request@mitre.example')).toHaveLength(1);
    const refused = lines.filter((l) => l.event === 'intake.flood-exemption-refused');
    expect(refused).toHaveLength(6);
    expect(refused[0]!.fields).toMatchObject({ entry: 'cve-request@mitre.example' });
    expect(String(refused[0]!.fields?.reason)).toMatch(/DMARC FAIL, not PASS/);
  });

  it('exempts a whole domain (not its subdomains), and exempt mail uses up no domain limit', async () => {
    const services = withExempt(['Distro.Example'], { reportsPerDomain: 2 });
    for (let i = 0; i < 4; i++)
      expect(await report(services, `team${i}@distro.example`, 'PASS')).toBe('case');
    expect(await kinds(services, 'a@lists.distro.example', 'PASS', 3)).toEqual([
      'case',
      'case',
      'flood',
    ]);
    // The exempt mail was not counted for its domain: a forged one still has the whole limit.
    expect(await kinds(services, 'x@distro.example', 'FAIL', 3)).toEqual(['case', 'case', 'flood']);
  });
});
