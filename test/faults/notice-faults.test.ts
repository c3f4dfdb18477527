import type { CaseId } from '../../shared/domain/case-id';
import { newReplyToken } from '../../shared/domain/reply-token';
import type { EmbargoServices } from '../../shared/embargo-services';
import type { NoticeTrigger } from '../../shared/ports/notice-scheduler';
import { caseRecord } from '../support/case-builder';
import { FaultPlan } from '../support/fault-plan';
import { resolvedMaintainer } from '../support/local-project';
import { GnuPg, signedMail } from '../support/gnupg';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const config = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia')],
};
const DISTRIBUTORS = ['security@debian.example', 'secalert@fedora.example'];

describe('notices under faults: every notice is sent exactly once', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
    const services = stores.services({ config });
    for (const [email, name, file] of [
      [DISTRIBUTORS[0]!, 'Debian', 'debian-public.asc'],
      [DISTRIBUTORS[1]!, 'Fedora', 'fedora-public.asc'],
    ] as const) {
      const armored = pgpFixture(file).toString();
      const key = await services.crypto.inspectKey(armored);
      if (!key.usable) throw new Error(key.problem);
      await services.distributors.put({
        email,
        name,
        publicKeyArmored: armored,
        fingerprint: key.fingerprint,
        addedAt: '2026-11-25T00:00:00Z',
      });
    }
  });
  afterAll(() => stores.stop());

  let sequence = 0;
  async function caseWithDate(
    services: EmbargoServices,
  ): Promise<{ id: CaseId; disclosureAt: string }> {
    sequence += 1;
    const id = `SEC-2027-${String(sequence).padStart(4, '0')}` as CaseId;
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    await services.cases.createIfAbsent(
      caseRecord(id, {
        reporter: { address: `reporter${sequence}@example.net` },
        acknowledgedAt: new Date().toISOString(),
        title: 'Heap overflow',
        advisory: 'The parser overflows.',
        disclosureAt,
      }),
    );
    return { id, disclosureAt };
  }

  async function fireUntilDone(services: EmbargoServices, trigger: NoticeTrigger) {
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        return await services.notices.fire(trigger);
      } catch {
        // The scheduler's retry policy runs it again.
      }
    }
    throw new Error('notice never went out');
  }

  async function fireBoth(services: EmbargoServices, id: CaseId, disclosureAt: string) {
    await fireUntilDone(services, { caseId: id, kind: 'advance', disclosureAt });
    await fireUntilDone(services, { caseId: id, kind: 'disclosure', disclosureAt });
  }

  async function countFor(id: CaseId) {
    const mails = await readMaildir(stores.outboxDir);
    const about = (to: string, subject: RegExp) =>
      mails.filter(
        (m) =>
          m.deliveredTo === to &&
          m.parsed.subject?.includes(`[${id}]`) &&
          subject.test(m.parsed.subject),
      ).length;
    const announce = mails.filter(
      (m) => m.deliveredTo === 'announce@example.org' && m.parsed.text?.includes(id),
    ).length;
    return {
      debian: about(DISTRIBUTORS[0]!, /Advance notice/),
      fedora: about(DISTRIBUTORS[1]!, /Advance notice/),
      summary: about('mia@example.org', /Advance notice sent/),
      checklist: about('mia@example.org', /Disclosure day/),
      announce,
    };
  }

  it('fails each call of the advance and disclosure notices in turn (table, store, send), then retries', async () => {
    const probe = new FaultPlan();
    const clean = stores.services({ config, faults: probe });
    const first = await caseWithDate(clean);
    probe.calls = 0;
    await fireBoth(clean, first.id, first.disclosureAt);
    const calls = probe.calls;
    expect(await countFor(first.id)).toEqual({
      debian: 1,
      fedora: 1,
      summary: 1,
      checklist: 1,
      announce: 1,
    });

    for (let k = 1; k <= calls; k++) {
      const plan = new FaultPlan();
      const services = stores.services({ config, faults: plan });
      const { id, disclosureAt } = await caseWithDate(services);
      plan.calls = 0;
      plan.failAt = k;
      await fireBoth(services, id, disclosureAt);
      expect(plan.log.some((l) => l.endsWith('FAILED'))).toBe(true);
      // A schedule that fires once more after success sends nothing new either.
      await fireBoth(services, id, disclosureAt);
      expect(await countFor(id)).toEqual({
        debian: 1,
        fedora: 1,
        summary: 1,
        checklist: 1,
        announce: 1,
      });
    }
  }, 300_000);

  it('applies a command mail once when the scheduler fails while it is handled', async () => {
    const plan = new FaultPlan();
    const services = stores.services({ config, faults: plan });
    const { id } = await caseWithDate(services);
    const token = newReplyToken(id);
    await services.cases.update(id, () => ({
      fields: { maintainerReplyTokens: { 'mia@example.org': token } },
      events: [],
    }));
    const mia = new GnuPg(['mia-secret.asc']);
    const replyTo = `security+${token}@example.org`;
    const date = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    const raw = signedMail(
      mia,
      { from: 'mia@example.org', to: replyTo, subject: 'Re: x', messageId: '<sched@example.org>' },
      `/disclose ${date}`,
    );
    mia.close();
    await services.rawMail.put('sched-1', Buffer.from(raw));
    const delivery = {
      messageId: 'sched-1',
      receivedAt: new Date(),
      envelopeFrom: 'mia@example.org',
      recipients: [replyTo],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' } as const,
    };
    // Fail the first scheduler call, wherever it comes.
    plan.failAt = Number.MAX_SAFE_INTEGER;
    const scheduleStep = plan.step.bind(plan);
    let failedOnce = false;
    plan.step = (what: string) => {
      if (!failedOnce && what.startsWith('schedule')) {
        failedOnce = true;
        throw new Error('injected: scheduler unavailable');
      }
      scheduleStep(what);
    };
    await expect(services.intake.receive(delivery)).rejects.toThrow('scheduler unavailable');
    expect(await services.intake.receive(delivery)).toEqual({ kind: 'follow-up', caseId: id });
    const record = (await services.cases.get(id))!;
    expect(record.history.filter((e) => e.type === 'commands-applied')).toHaveLength(1);
    expect(record.disclosureAt).toBe(`${date}T00:00:00.000Z`);
    const confirmations = (await readMaildir(stores.outboxDir)).filter(
      (m) =>
        m.deliveredTo === 'mia@example.org' &&
        m.parsed.subject?.includes(`[${id}] Commands applied`),
    );
    expect(confirmations).toHaveLength(1);
  });
});
