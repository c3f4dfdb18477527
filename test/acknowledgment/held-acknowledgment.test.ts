import { simpleParser } from 'mailparser';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { deliver } from '../support/deliver';
import { GnuPg, signedMail } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia'), resolvedMaintainer('max')],
};
const FORGED = 'victim@example.net';

describe('a report whose From line its own domain calls forged (DMARC FAIL)', () => {
  let stores: Stores;
  let services: EmbargoServices;
  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config });
  });
  afterAll(() => stores.stop());

  const deliverMail = (messageId: string, raw: string, from: string, to: string, dmarc?: 'FAIL') =>
    deliver(services, { messageId, raw, from, to, ...(dmarc ? { dmarc } : {}) });

  const mailTo = async (address: string) =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === address);

  it('opens a case but holds the acknowledgment until a maintainer sends it with /ack', async () => {
    const report = rawMessage({
      from: FORGED,
      subject: 'Heap overflow',
      messageId: '<forged-report@example.net>',
    });
    const outcome = await deliverMail('forged-1', report, FORGED, 'security@example.org', 'FAIL');
    expect(outcome.kind).toBe('case');
    const id = (outcome as { caseId: string }).caseId;

    let record = (await services.cases.get(id as never))!;
    expect(record.acknowledgedAt).toBeUndefined();
    expect(record.ackHeld).toMatch(/DMARC FAIL/);
    expect(record.history.map((e) => e.type)).toEqual(['opened', 'ack-held', 'forwarded']);
    // No mail to the forged address; the maintainers get the report, with the reason.
    expect(await mailTo(FORGED)).toEqual([]);
    const [copy] = await mailTo('mia@example.org');
    const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
    const opened = mia.decrypt(copy!.raw);
    expect(opened.ok).toBe(true);
    const text = (await simpleParser(opened.plaintext)).text ?? '';
    expect(text).toContain(`No acknowledgment was sent to ${FORGED}`);
    expect(text).toContain('send the acknowledgment with the signed command /ack');

    // The watch, which retries acknowledgments that did not go out, leaves a held one alone.
    await services.watch.run();
    expect(await mailTo(FORGED)).toEqual([]);

    // A maintainer decides the report is genuine.
    const replyTo = copy!.parsed.replyTo!.value[0]!.address!;
    expect(replyTo).toBe('security@example.org');
    const command = signedMail(
      mia,
      {
        from: 'mia@example.org',
        to: replyTo,
        subject: 'Re: x',
        messageId: '<ack@x>',
        inReplyTo: copy!.parsed.messageId!,
      },
      '/ack',
    );
    mia.close();
    expect(await deliverMail('ack-1', command, 'mia@example.org', replyTo)).toEqual({
      kind: 'follow-up',
      caseId: id,
    });
    record = (await services.cases.get(id as never))!;
    expect(record.ackHeld).toBeUndefined();
    expect(record.acknowledgedAt).toBeDefined();
    const applied = record.history.find((e) => e.type === 'commands-applied');
    expect(applied?.changes?.[0]).toMatch(
      /^acknowledgment held: SES reports DMARC FAIL.* → \(unset\)$/,
    );
    const acks = await mailTo(FORGED);
    expect(acks).toHaveLength(1);
    expect(acks[0]!.parsed.inReplyTo).toBe('<forged-report@example.net>');
    expect(acks[0]!.subject).toContain(id);
  });

  it('acknowledges at once when DMARC passes or the domain has no policy', async () => {
    const report = rawMessage({ from: 'alice@example.net', messageId: '<fine@example.net>' });
    const outcome = await deliverMail(
      'fine-1',
      report,
      'alice@example.net',
      'security@example.org',
    );
    const record = (await services.cases.get((outcome as { caseId: string }).caseId as never))!;
    expect(record.ackHeld).toBeUndefined();
    expect(record.acknowledgedAt).toBeDefined();
    expect(await mailTo('alice@example.net')).toHaveLength(1);
  });
});
