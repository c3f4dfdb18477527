import { noticesHandler } from '../../functions/notices';
import type { CaseId } from '../../shared/cases/case-id';
import { NoticeInProgressError } from '../../shared/errors';
import { newReplyToken } from '../../shared/threads/reply-token';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import type { NoticeTrigger } from '../../shared/notices/notice-scheduler';
import { caseRecord } from '../support/case-builder';
import { FaultPlan } from '../support/fault-plan';
import { resolvedMaintainer } from '../support/local-project';
import { GnuPg, signedMail } from '../support/gnupg';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
/** Longer than a notice run's hold without a deadline (the notices timeout, 5 minutes). */
const HOLD_RUNS_OUT_MS = 6 * 60_000;
const config = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia')],
};
/** Each distributor's advance notice, the maintainers' summary and checklist, the announcement. */
const EACH_ONCE = { debian: 1, fedora: 1, summary: 1, checklist: 1, announce: 1 };
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

  /**
   * Runs a notice until it succeeds, as the scheduler's retry policy would. A retry refused
   * because an earlier run still holds the notice (its release was the call that failed) comes
   * after the hold has run out, as the scheduler's later retry would: `later` has a clock past it.
   */
  async function fireUntilDone(
    services: EmbargoServices,
    later: EmbargoServices,
    trigger: NoticeTrigger,
  ) {
    let runner = services;
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        return await runner.notices.fire(trigger);
      } catch (err) {
        if (err instanceof NoticeInProgressError) runner = later;
      }
    }
    throw new Error('notice never went out');
  }

  async function fireBoth(plan: FaultPlan, id: CaseId, disclosureAt: string) {
    const services = stores.services({ config, faults: plan });
    const later = stores.services({
      config,
      faults: plan,
      clock: { now: () => new Date(Date.now() + HOLD_RUNS_OUT_MS) },
    });
    await fireUntilDone(services, later, { caseId: id, kind: 'advance', disclosureAt });
    await fireUntilDone(services, later, { caseId: id, kind: 'disclosure', disclosureAt });
  }

  async function countFor(id: CaseId) {
    const mails = await readMaildir(stores.outboxDir);
    const about = (to: string, subject: RegExp) =>
      mails.filter(
        (m) => m.deliveredTo === to && m.subject?.includes(`[${id}]`) && subject.test(m.subject),
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
    await fireBoth(probe, first.id, first.disclosureAt);
    const calls = probe.calls;
    expect(await countFor(first.id)).toEqual(EACH_ONCE);

    for (let k = 1; k <= calls; k++) {
      const plan = new FaultPlan();
      const services = stores.services({ config, faults: plan });
      const { id, disclosureAt } = await caseWithDate(services);
      plan.calls = 0;
      plan.failAt = k;
      await fireBoth(plan, id, disclosureAt);
      expect(plan.log.some((l) => l.endsWith('FAILED'))).toBe(true);
      // A schedule that fires once more after success sends nothing new either.
      await fireBoth(plan, id, disclosureAt);
      expect(await countFor(id)).toEqual(EACH_ONCE);
    }
  }, 300_000);

  it('sends each notice once when the scheduler runs the same trigger three times at once', async () => {
    // EventBridge Scheduler delivers at least once; repeats need not wait for each other.
    const services = stores.services({ config });
    const { id, disclosureAt } = await caseWithDate(services);
    for (const kind of ['advance', 'disclosure'] as const) {
      const trigger = { caseId: id, kind, disclosureAt };
      const attempts = await Promise.allSettled(
        [1, 2, 3].map(() => services.notices.fire(trigger)),
      );
      const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
      for (const reason of refused) expect(reason).toBeInstanceOf(NoticeInProgressError);
      expect(refused.length).toBeLessThan(3);
      // What the scheduler's retry policy does with the refused ones.
      for (const _ of refused) await services.notices.fire(trigger);
    }
    expect(await countFor(id)).toEqual(EACH_ONCE);
  });

  it('refuses a notice another run holds, says until when, and takes it over once that passed', async () => {
    const services = stores.services({ config });
    const { id, disclosureAt } = await caseWithDate(services);
    const trigger = { caseId: id, kind: 'advance' as const, disclosureAt };
    const notice = `${id}/advance/${disclosureAt}`;
    const until = new Date(Date.now() + 60_000);
    expect(await services.holds.take(notice, 'another-run', new Date(), until)).toBeUndefined();
    const refusal = services.notices.fire(trigger);
    await expect(refusal).rejects.toBeInstanceOf(NoticeInProgressError);
    await expect(refusal).rejects.toMatchObject({ notice, until: until.toISOString() });
    expect((await countFor(id)).debian).toBe(0);
    // That run was stopped at its timeout without letting go: once its time passes, a retry sends.
    const later = stores.services({
      config,
      clock: { now: () => new Date(until.getTime() + 1) },
    });
    expect(await later.notices.fire(trigger)).toMatchObject({ kind: 'sent', recipients: 2 });
    expect(await countFor(id)).toMatchObject({ debian: 1, fedora: 1, summary: 1 });
  });

  it("holds a notice until Lambda's deadline for the run, read from its context", async () => {
    // Everything after taking the hold fails, its release included: the hold stays, and the
    // refusal of the next run shows until when the handler held it.
    const plan = new FaultPlan();
    const services = stores.services({ config, faults: plan });
    const { id, disclosureAt } = await caseWithDate(services);
    const step = plan.step.bind(plan);
    let taken = false;
    plan.step = (what: string) => {
      if (taken) throw new Error(`injected: ${what}`);
      if (what === 'dynamodb UpdateItemCommand') taken = true;
      return step(what);
    };
    const trigger = { caseId: id, kind: 'advance' as const, disclosureAt };
    const before = Date.now();
    await expect(
      noticesHandler(() => services)(trigger, {
        getRemainingTimeInMillis: () => 20_000,
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:notices',
      }),
    ).rejects.toThrow('injected');
    const after = Date.now();
    plan.step = step;
    const refusal = await services.notices.fire(trigger).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(NoticeInProgressError);
    const until = Date.parse((refusal as NoticeInProgressError).until);
    // Lambda's deadline plus 5 s for other hosts' clocks; without the context, 5 min 5 s.
    expect(until).toBeGreaterThanOrEqual(before + 25_000);
    expect(until).toBeLessThanOrEqual(after + 25_000);
  });

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
      return scheduleStep(what);
    };
    await expect(services.intake.receive(delivery)).rejects.toThrow('scheduler unavailable');
    expect(await services.intake.receive(delivery)).toEqual({ kind: 'follow-up', caseId: id });
    const record = (await services.cases.get(id))!;
    expect(record.history.filter((e) => e.type === 'commands-applied')).toHaveLength(1);
    expect(record.disclosureAt).toBe(`${date}T00:00:00.000Z`);
    const confirmations = (await readMaildir(stores.outboxDir)).filter(
      (m) => m.deliveredTo === 'mia@example.org' && m.subject?.includes(`[${id}] Commands applied`),
    );
    expect(confirmations).toHaveLength(1);
  });
});
