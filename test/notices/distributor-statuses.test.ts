import type { Authentication } from '../../shared/cases/case-record';
import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { applyRecipientEvent, type RecipientRef } from '../../shared/distributors/recipient-events';
import {
  distributorStatements,
  publicDistributorStatements,
} from '../../shared/distributors/distributor-statements';
import { advisoryRecord } from '../../shared/notices/advisory-records';
import { csafProblems } from '../advisories/csaf-checks';
import { caseRecord } from '../support/case-builder';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const ROUND = '2026-12-01T00:00:00.000Z';
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
const signed: Authentication = { method: 'pgp-signature', fingerprint: 'ABCD' };
const unsigned: Authentication = { method: 'none' };

// Debian consented to be named and signed its status; Fedora signed but did not consent;
// Gentoo consented but its status came unsigned, so the case never recorded it.
const debian: RecipientRef = { email: 'security@debian.example', name: 'Debian' };
const fedora: RecipientRef = { email: 'secalert@fedora.example', name: 'Fedora' };
const gentoo: RecipientRef = { email: 'security@gentoo.example', name: 'Gentoo' };
const DEBIAN_SAYS = '1.9.0-2 is built without the HTTP/2 parser';

function recipients() {
  const status =
    (
      who: RecipientRef,
      value: 'affected' | 'not-affected' | 'fixed',
      a: Authentication,
      detail?: string,
    ) =>
    (list: ReturnType<typeof applyRecipientEvent> | undefined) =>
      applyRecipientEvent(list, who, {
        kind: 'status',
        at: '2026-12-02T10:00:00.000Z',
        round: ROUND,
        value,
        ...(detail ? { detail } : {}),
        authentication: a,
      });
  return [
    status(debian, 'not-affected', signed, DEBIAN_SAYS),
    status(fedora, 'affected', signed),
    status(gentoo, 'fixed', unsigned, '1.9.0-r1'),
  ].reduce<ReturnType<typeof applyRecipientEvent> | undefined>(
    (list, step) => step(list),
    undefined,
  );
}

const csafOf = (content: Buffer) =>
  JSON.parse(content.toString('utf8')) as {
    document: { category: string; distribution?: { tlp: { label: string }; text: string } };
    product_tree: { branches: { name: string }[] };
    vulnerabilities: { product_status: Record<string, string[]>; threats?: unknown[] }[];
  };
const vendors = (csaf: ReturnType<typeof csafOf>) => csaf.product_tree.branches.map((b) => b.name);

/**
 * Distributors' signed statuses in the CSAF VEX, through the notice service on local mode's
 * stores (dynalite, s3rver, the Maildir outbox), with the distributors' own keys (GnuPG).
 */
describe("distributors' statuses in the CSAF records", () => {
  let stores: Stores;
  let services: EmbargoServices;
  const id = 'SEC-2026-0001' as CaseId;
  const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();

  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config });
    const add = async (who: RecipientRef, keyFile: string, nameInPublicRecords: boolean) => {
      const armored = pgpFixture(keyFile).toString();
      const key = await services.crypto.inspectKey(armored);
      if (!key.usable) throw new Error(key.problem);
      await services.distributors.put({
        email: who.email,
        name: who.name,
        publicKeyArmored: armored,
        fingerprint: key.fingerprint,
        addedAt: '2026-11-25T00:00:00Z',
        ...(nameInPublicRecords ? { nameInPublicRecords } : {}),
      });
    };
    await add(debian, 'debian-public.asc', true);
    await add(fedora, 'fedora-public.asc', false);
    await add(gentoo, 'debian-public.asc', true);
    await services.cases.createIfAbsent(
      caseRecord(id, {
        title: 'Heap overflow in parse_header',
        advisory: 'The parser overflows on headers over 8 KiB.',
        affected: '>= 1.0, < 2.0.1',
        fixed: '2.0.1',
        disclosureAt,
        recipients: recipients()!,
      }),
    );
  }, 60_000);
  afterAll(() => stores.stop());

  it('keeps only signed statuses: the unsigned one is in no record', () => {
    const list = recipients()!;
    expect(list.find((r) => r.name === 'Gentoo')?.status).toBeUndefined();
    expect(
      distributorStatements(caseRecord(id, { recipients: list })).map((s) => s.distributor),
    ).toEqual(['Debian', 'Fedora']);
  });

  it('puts no distributor in the advance copy every distributor receives', async () => {
    expect((await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt })).kind).toBe(
      'sent',
    );
    const mails = await readMaildir(stores.outboxDir);
    for (const [who, secret] of [
      [debian, 'debian-secret.asc'],
      [fedora, 'fedora-secret.asc'],
    ] as const) {
      const mail = mails.find((m) => m.deliveredTo === who.email)!;
      const opened = await openPgpMime(new GnuPg([secret, 'project-public.asc']), mail);
      if ('error' in opened) throw new Error(opened.error);
      const copy = opened.inner.attachments.find((a) =>
        a.filename?.endsWith('.tlp-amber.csaf.json'),
      )!;
      const text = copy.content.toString('utf8');
      for (const name of ['Debian', 'Fedora', 'Gentoo']) expect(text).not.toContain(name);
      expect(csafOf(copy.content).document.category).toBe('csaf_security_advisory');
      // Each is told that its own status becomes public only with its consent.
      expect(opened.inner.text!.replace(/\s+/g, ' ')).toContain(
        'A signed /status names you in the public CSAF advisory after the disclosure only if you agreed with the maintainers to be named',
      );
    }
  }, 60_000);

  it('names in the public CSAF only the distributors that consented, with their signed status', async () => {
    expect(
      (await services.notices.fire({ caseId: id, kind: 'disclosure', disclosureAt })).kind,
    ).toBe('sent');
    const content = await services.files.get(`${id}/exports/${id}.csaf.json`);
    const csaf = csafOf(content);
    expect(csaf.document.category).toBe('csaf_vex');
    expect(csaf.document.distribution).toBeUndefined();
    expect(vendors(csaf)).toEqual([config.project, 'Debian']);
    const text = content.toString('utf8');
    expect(text).not.toContain('Fedora');
    expect(text).not.toContain('Gentoo');
    expect(text).not.toContain('@');
    const [vulnerability] = csaf.vulnerabilities;
    expect(vulnerability!.product_status.known_not_affected).toEqual(['CSAFPID-D001']);
    expect(vulnerability!.threats).toEqual([
      {
        category: 'impact',
        details: `Debian states that its package is not affected: ${DEBIAN_SAYS}`,
        product_ids: ['CSAFPID-D001'],
      },
    ]);
    expect(csafProblems([csaf])).toEqual([[]]);
    // The maintainers are told whom the public CSAF names, and that others are left out.
    const day = (await readMaildir(stores.outboxDir)).find(
      (m) => m.deliveredTo === 'mia@example.org' && m.subject.includes('Disclosure day'),
    )!;
    const opened = await openPgpMime(new GnuPg(['mia-secret.asc', 'project-public.asc']), day);
    if ('error' in opened) throw new Error(opened.error);
    const told = opened.inner.text!.replace(/\s+/g, ' ');
    expect(told).toContain(
      'The CSAF names Debian with its signed status (they agreed to be named).',
    );
    expect(told).toContain(
      `1 distributor's signed status is left out of it (no consent to be named); npx embargo export ${id} --format csaf --include-distributors`,
    );
  }, 120_000);

  it("gives the maintainers' own copy every signed status, labelled TLP:RED", async () => {
    const record = (await services.cases.get(id))!;
    const file = advisoryRecord(record, config, 'csaf', new Date(), {
      distributors: distributorStatements(record),
      maintainersOnly: true,
    })!;
    expect(file.filename).toBe(`${id}.tlp-red.csaf.json`);
    const csaf = csafOf(file.content);
    expect(csaf.document.distribution?.tlp.label).toBe('RED');
    expect(csaf.document.distribution?.text).toContain('private');
    expect(vendors(csaf)).toEqual([config.project, 'Debian', 'Fedora']);
    expect(file.content.toString('utf8')).not.toContain('Gentoo');
    const status = csaf.vulnerabilities[0]!.product_status;
    expect(status.known_affected).toContain('CSAFPID-D002');
    expect(status.known_not_affected).toEqual(['CSAFPID-D001']);
    expect(csafProblems([csaf])).toEqual([[]]);
    // Without consent from the list, the same case names nobody in public.
    expect(publicDistributorStatements(record, [])).toEqual([]);
  }, 120_000);
});

describe("a distributor's status after the disclosure", () => {
  const disclosedAt = '2026-12-10T12:00:00.000Z';
  const record = caseRecord('SEC-2026-0002', {
    title: 'Heap overflow in parse_header',
    advisory: 'The parser overflows.',
    affected: '>= 1.0, < 2.0.1',
    fixed: '2.0.1',
    disclosedAt,
    status: 'disclosed',
    recipients: applyRecipientEvent(undefined, debian, {
      kind: 'status',
      at: '2026-12-11T08:30:00.000Z',
      round: ROUND,
      value: 'fixed',
      detail: '1.9.0-3',
      authentication: signed,
    }),
  });
  const tracking = (list: { email: string; nameInPublicRecords?: boolean }[]) =>
    (
      JSON.parse(
        advisoryRecord(record, config, 'csaf', new Date('2026-12-12T00:00:00Z'), {
          draft: false,
          distributors: publicDistributorStatements(record, list),
        })!.content.toString('utf8'),
      ) as { document: { tracking: { version: string; revision_history: unknown[] } } }
    ).document.tracking;

  it('is a new revision of the copies that name the distributor, and of no other', () => {
    const named = tracking([{ email: debian.email, nameInPublicRecords: true }]);
    expect(named.version).toBe('2');
    expect(named.revision_history.at(-1)).toEqual({
      number: '2',
      date: '2026-12-11T08:30:00Z',
      summary: "Changed: Debian's status.",
    });
    expect(tracking([{ email: debian.email }]).version).toBe('1');
  });
});
