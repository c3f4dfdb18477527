import { randomBytes } from 'node:crypto';
import { sendingEventsHandler } from '../../functions/sending-events';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import {
  memoryLogger,
  startStores,
  testConfig,
  type LogLine,
  type Stores,
} from '../support/local-stores';
import { headerOf, maildirFiles, readMaildir, type DeliveredMail } from '../support/maildir';
import {
  bounceRecord,
  complaintRecord,
  deliveryDelayRecord,
  snsEvent,
} from '../support/ses-notifications';
import { rawMessage } from '../support/smtp-client';

const REPORT_SUBJECT = 'Heap overflow in parser';

describe('bounces and complaints of sent mail, against real local DynamoDB and S3 servers', () => {
  let stores: Stores;
  let lines: LogLine[];
  let mia: GnuPg;
  beforeAll(() => {
    mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  });
  afterAll(() => mia.close());
  beforeEach(async () => {
    stores = await startStores();
    lines = [];
  });
  afterEach(async () => {
    await stores.stop();
  });

  function servicesWith(maintainers: EmbargoConfig['maintainers']): EmbargoServices {
    const config: EmbargoConfig = { ...testConfig, maintainers };
    return stores.services({ config, log: memoryLogger(lines) });
  }

  /** A report from Alice through intake: the case, with its acknowledgment and copies sent. */
  async function openCase(services: EmbargoServices): Promise<CaseRecord> {
    const messageId = randomBytes(10).toString('hex');
    await services.rawMail.put(
      messageId,
      Buffer.from(rawMessage({ from: 'alice@example.net', subject: REPORT_SUBJECT })),
    );
    await services.intake.receive({
      messageId,
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
    const [record] = await services.cases.list();
    return record!;
  }

  /** The one mail in the outbox to `address` (of those not in `except`). */
  async function mailTo(address: string, except = new Set<string>()): Promise<DeliveredMail> {
    const mails = (await readMaildir(stores.outboxDir, except)).filter(
      (m) => m.deliveredTo === address,
    );
    expect(mails).toHaveLength(1);
    return mails[0]!;
  }

  const messageIdOf = (mail: DeliveredMail) => headerOf(mail, 'message-id')!;

  async function problemEvents(services: EmbargoServices, record: CaseRecord) {
    const current = await services.cases.get(record.id);
    return current!.history.filter((e) => e.type === 'delivery-problem');
  }

  /** Decrypts a maintainer's notice with Mia's key; returns its text and whether it is signed. */
  async function readAsMia(mail: DeliveredMail) {
    const opened = await openPgpMime(mia, mail);
    if ('error' in opened) throw new Error(opened.error);
    return { text: opened.inner.text ?? '', signed: opened.validSignatures.length > 0 };
  }

  it("records a bounce of the reporter's acknowledgment once and tells the maintainer once, encrypted", async () => {
    const services = servicesWith([resolvedMaintainer('mia')]);
    const record = await openCase(services);
    const ack = await mailTo('alice@example.net');
    const before = new Set(maildirFiles(stores.outboxDir));
    const handler = sendingEventsHandler(() => services);
    const event = snsEvent(
      bounceRecord({ messageIdHeader: messageIdOf(ack), recipient: 'alice@example.net' }),
    );

    expect(await handler(event)).toEqual([
      { kind: 'recorded', caseId: record.id, told: ['mia@example.org'] },
    ]);

    const events = await problemEvents(services, record);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      at: '2026-11-25T09:00:03.669Z',
      authentication: { method: 'system' },
    });
    expect(events[0]!.summary).toContain('alice@example.net (the reporter) bounced');
    expect(events[0]!.summary).toContain('Permanent, General');
    expect(events[0]!.summary).toContain('550 5.1.1 user unknown');

    const notice = await mailTo('mia@example.org', before);
    // Outside, the case tag and fixed words; the real subject is protected inside.
    expect(notice.parsed.subject).toBe(`[${record.id}] Encrypted message`);
    expect(notice.subject).toContain(`[${record.id}]`);
    expect(notice.subject).toContain('Mail bounced');
    expect(notice.subject).not.toContain('alice');
    expect(notice.raw).not.toContain('alice@example.net');
    const { text, signed } = await readAsMia(notice);
    expect(signed).toBe(true);
    expect(text).toContain('alice@example.net (the reporter)');
    expect(text).toContain('smtp; 550 5.1.1 user unknown');
    // The acknowledgment's Message-ID went to the reporter alone: a maintainer citing it could
    // pose as the reporter.
    expect(notice.raw).not.toContain(messageIdOf(ack));
    expect(text).not.toContain(messageIdOf(ack));
    expect(text).toContain('reach them another way');
    expect(text).not.toContain(REPORT_SUBJECT);

    // The same notification again (SNS and Lambda deliver at least once): nothing new.
    const afterFirst = new Set(maildirFiles(stores.outboxDir));
    expect(await handler(event)).toEqual([{ kind: 'duplicate', caseId: record.id }]);
    expect(await problemEvents(services, record)).toHaveLength(1);
    expect(maildirFiles(stores.outboxDir).filter((f) => !afterFirst.has(f))).toEqual([]);

    // Headers only reach the logs as ids and addresses: never the subject.
    expect(JSON.stringify(lines)).not.toContain('Your report was received');
    expect(JSON.stringify(lines)).not.toContain(REPORT_SUBJECT);
  });

  it('records a complaint once and tells the maintainer once', async () => {
    const services = servicesWith([resolvedMaintainer('mia')]);
    const record = await openCase(services);
    const ack = await mailTo('alice@example.net');
    const before = new Set(maildirFiles(stores.outboxDir));
    const handler = sendingEventsHandler(() => services);
    const event = snsEvent(
      complaintRecord({ messageIdHeader: messageIdOf(ack), recipient: 'alice@example.net' }),
    );

    expect(await handler(event)).toEqual([
      { kind: 'recorded', caseId: record.id, told: ['mia@example.org'] },
    ]);
    expect(await handler(event)).toEqual([{ kind: 'duplicate', caseId: record.id }]);

    const events = await problemEvents(services, record);
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toContain('alice@example.net (the reporter) drew a complaint');
    expect(events[0]!.summary).toContain('(abuse)');
    const notice = await mailTo('mia@example.org', before);
    expect(notice.subject).toContain('A recipient reported mail as spam');
    const { text } = await readAsMia(notice);
    expect(text).toContain('marked the mail as spam');
    expect(text).toContain('alice@example.net (the reporter)');
  });

  it('records a bounce and a delay of the same mail as two problems', async () => {
    const services = servicesWith([resolvedMaintainer('mia')]);
    const record = await openCase(services);
    const sent = { messageIdHeader: messageIdOf(await mailTo('alice@example.net')) };
    const before = new Set(maildirFiles(stores.outboxDir));
    const handler = sendingEventsHandler(() => services);
    await handler(snsEvent(deliveryDelayRecord({ ...sent, recipient: 'alice@example.net' })));
    await handler(snsEvent(bounceRecord({ ...sent, recipient: 'alice@example.net' })));
    const events = await problemEvents(services, record);
    expect(events.map((e) => e.id)).toEqual([
      `delivery-problem:delay:EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000`,
      'delivery-problem:bounce:01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
    ]);
    const notices = (await readMaildir(stores.outboxDir, before)).map((m) => m.subject);
    expect(notices).toEqual(
      expect.arrayContaining([expect.stringContaining('Mail delivery is delayed')]),
    );
    expect(notices).toHaveLength(2);
  });

  it('ignores (and logs) a problem with mail that belongs to no case', async () => {
    const services = servicesWith([resolvedMaintainer('mia')]);
    const record = await openCase(services);
    const historyBefore = (await services.cases.get(record.id))!.history;
    const before = new Set(maildirFiles(stores.outboxDir));
    const handler = sendingEventsHandler(() => services);

    const outcomes = await handler(
      snsEvent(
        bounceRecord({ messageIdHeader: '<unknown@example.org>', recipient: 'bob@example.net' }),
      ),
    );

    expect(outcomes).toEqual([
      { kind: 'ignored', reason: 'no case sent mail with this Message-ID' },
    ]);
    expect((await services.cases.get(record.id))!.history).toEqual(historyBefore);
    expect(await services.cases.list()).toHaveLength(1);
    expect(maildirFiles(stores.outboxDir).filter((f) => !before.has(f))).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'delivery-problem.unmatched',
        fields: expect.objectContaining({ messageIdHeader: '<unknown@example.org>' }),
      }),
    );
  });

  it('refuses a malformed event on the first attempt, with a logged reason, and changes nothing', async () => {
    const services = servicesWith([resolvedMaintainer('mia')]);
    const record = await openCase(services);
    const historyBefore = (await services.cases.get(record.id))!.history;
    const before = new Set(maildirFiles(stores.outboxDir));
    const log = memoryLogger();
    const handler = sendingEventsHandler(() => services, log);
    const bounce = bounceRecord({ messageIdHeader: '<x@example.org>', recipient: 'a@example.net' });
    const { feedbackId: _dropped, ...bounceWithoutId } = bounce.bounce;

    const malformed: unknown[] = [
      {},
      { Records: [] },
      { Records: snsEvent(bounce).Records.map((r) => ({ ...r, EventSource: 'aws:sqs' })) },
      { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'not json' } }] },
      snsEvent({ ...bounce, bounce: bounceWithoutId }),
      snsEvent({ ...bounce, eventType: 'Delivery' }),
      snsEvent({ notificationType: 'Bounce', bounce: bounce.bounce, mail: bounce.mail }),
    ];
    // Thrown, Lambda would run each twice more and then dead-letter it: no retry changes a shape.
    const refused = { kind: 'refused', code: 'EVENT_INVALID' };
    for (const event of malformed)
      expect(await handler(event)).toEqual([expect.objectContaining(refused)]);
    expect(await handler({})).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(
          /^The SES notification event is not in the expected shape: Records: /,
        ),
      }),
    ]);
    expect(await handler(snsEvent({ ...bounce, bounce: bounceWithoutId }))).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(/Records\.0\.Sns\.Message\.bounce\.feedbackId/),
      }),
    ]);
    expect(log.lines.filter((l) => l.event === 'function.input-refused')).toHaveLength(
      malformed.length + 2,
    );
    expect(log.lines[0]).toMatchObject({
      level: 'error',
      fields: { function: 'sending-events', code: 'EVENT_INVALID' },
    });
    expect((await services.cases.get(record.id))!.history).toEqual(historyBefore);
    expect(maildirFiles(stores.outboxDir).filter((f) => !before.has(f))).toEqual([]);
  });

  it('handles the good records of an event beside a refused one', async () => {
    const services = servicesWith([resolvedMaintainer('mia')]);
    await openCase(services);
    const handler = sendingEventsHandler(() => services, memoryLogger());
    const unknown = bounceRecord({
      messageIdHeader: '<unknown@example.org>',
      recipient: 'a@example.net',
    });
    const good = snsEvent(unknown).Records[0]!;
    const event = {
      Records: [{ ...good, Sns: { ...good.Sns, Message: 'not json' } }, good],
    };
    expect(await handler(event)).toEqual([
      expect.objectContaining({ kind: 'refused', code: 'EVENT_INVALID' }),
      { kind: 'ignored', reason: 'no case sent mail with this Message-ID' },
    ]);
  });

  it("tells the other maintainers about a maintainer's bouncing address, never that address, and does not ping-pong", async () => {
    const services = servicesWith([resolvedMaintainer('mia'), resolvedMaintainer('max')]);
    const record = await openCase(services);
    const handler = sendingEventsHandler(() => services);
    const maxCopy = await mailTo('max@example.org');
    const seen = new Set(maildirFiles(stores.outboxDir));
    const newMail = async () => {
      const mails = await readMaildir(stores.outboxDir, seen);
      for (const m of mails) seen.add(m.file);
      return mails;
    };

    // Max's copy of the report bounces: Mia is told, Max is not.
    expect(
      await handler(
        snsEvent(
          bounceRecord(
            { messageIdHeader: messageIdOf(maxCopy), recipient: 'max@example.org' },
            { feedbackId: 'feedback-max-1' },
          ),
        ),
      ),
    ).toEqual([{ kind: 'recorded', caseId: record.id, told: ['mia@example.org'] }]);
    const [toMia, ...others] = await newMail();
    expect(others).toEqual([]);
    expect(toMia!.deliveredTo).toBe('mia@example.org');
    const { text } = await readAsMia(toMia!);
    expect(text).toContain('max@example.org (maintainer Max)');
    expect(text).toContain('it was not sent this notice');

    // Mia's address bounces that notice: Max is told (his address may work again).
    await handler(
      snsEvent(
        bounceRecord(
          { messageIdHeader: messageIdOf(toMia!), recipient: 'mia@example.org' },
          { feedbackId: 'feedback-mia-1' },
        ),
      ),
    );
    const [toMax, ...more] = await newMail();
    expect(more).toEqual([]);
    expect(toMax!.deliveredTo).toBe('max@example.org');

    // Max bounces that one too: recorded, but Mia was told about Max's address on this case
    // already, so nothing goes back and forth.
    await handler(
      snsEvent(
        bounceRecord(
          { messageIdHeader: messageIdOf(toMax!), recipient: 'max@example.org' },
          { feedbackId: 'feedback-max-2' },
        ),
      ),
    );
    expect(await newMail()).toEqual([]);
    expect(await problemEvents(services, record)).toHaveLength(3);
  });
});
