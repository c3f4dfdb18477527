import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbThreadIndex } from '../../shared/adapters/dynamodb/dynamodb-thread-index';
import type { CaseId } from '../../shared/cases/case-id';
import type { InboundMail, MailDelivery } from '../../shared/mail/inbound-mail';
import type { Distributor } from '../../shared/notices/distributor-directory';
import { ThreadRouter } from '../../shared/threads/thread-router';
import { localResources } from '../../infra/local/local-settings';
import { caseRecord } from '../support/case-builder';
import { startStores, testConfig, type Stores } from '../support/local-stores';

const TOLD = 'SEC-2026-0011' as CaseId;
const NOT_TOLD = 'SEC-2026-0012' as CaseId;
const DEBIAN = 'security@debian.example';
const NOTICE = '<notice-to-debian@example.org>';
const OTHER_NOTICE = '<notice-of-another-case@example.org>';

/**
 * Mail from a distributor is that distributor's only on a case it was told of, and only while
 * it is on the list; on any other case it is a non-party's, whatever it cites or tags.
 */
describe('thread router: distributors', () => {
  let stores: Stores;
  let router: ThreadRouter;
  let list: Distributor[];

  beforeAll(async () => {
    stores = await startStores();
    const table = localResources.tableName;
    const cases = new DynamoDbCaseRepository(stores.dynamoClient, table);
    const threads = new DynamoDbThreadIndex(stores.dynamoClient, table);
    router = new ThreadRouter(testConfig, cases, threads, { list: async () => list });
    const entry = { address: DEBIAN, name: 'Debian', noticeSent: { at: 't', round: 'r' } };
    await cases.createIfAbsent(caseRecord(TOLD, { recipients: [entry] }));
    await cases.createIfAbsent(caseRecord(NOT_TOLD));
    const at = new Date().toISOString();
    await threads.recordSent(NOTICE, TOLD, at, { party: 'other', address: DEBIAN });
    await threads.recordSent(OTHER_NOTICE, NOT_TOLD, at, { party: 'other', address: DEBIAN });
  });
  beforeEach(() => {
    list = [
      {
        email: DEBIAN,
        name: 'Debian',
        publicKeyArmored: 'k',
        fingerprint: 'f',
        addedAt: '2026-11-25T00:00:00Z',
      },
    ];
  });
  afterAll(() => stores.stop());

  const resolve = async (opts: { cites?: string[]; subject?: string; from?: string }) => {
    const from = opts.from ?? DEBIAN;
    const delivery: MailDelivery = {
      messageId: 'm1',
      receivedAt: new Date(),
      envelopeFrom: from,
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    const cites = opts.cites ?? [];
    const mail: InboundMail = {
      from: { address: from },
      subject: opts.subject ?? 'Re: notice',
      messageIdHeader: '<reply@debian.example>',
      ...(cites.length ? { inReplyTo: cites.at(-1)! } : {}),
      references: cites,
      headers: new Map(),
      contentType: 'text/plain',
    };
    const match = await router.resolve(delivery, mail);
    return (
      match && {
        caseId: match.record.id,
        role: match.role,
        via: match.via,
        distributor: match.distributor?.name,
      }
    );
  };

  it('takes a reply to its notice, or with the case tag, as the distributor of a case it was told of', async () => {
    expect(await resolve({ cites: [NOTICE] })).toEqual({
      caseId: TOLD,
      role: 'distributor',
      via: 'references',
      distributor: 'Debian',
    });
    expect(await resolve({ subject: `Re: [${TOLD}] Advance notice` })).toEqual({
      caseId: TOLD,
      role: 'distributor',
      via: 'subject-tag',
      distributor: 'Debian',
    });
  });

  it('takes it as a non-party on a case it was not told of, or once it is off the list', async () => {
    expect(await resolve({ cites: [OTHER_NOTICE] })).toMatchObject({
      caseId: NOT_TOLD,
      role: 'other',
    });
    expect(await resolve({ subject: `Re: [${NOT_TOLD}] x` })).toBeUndefined();
    list = [];
    expect(await resolve({ cites: [NOTICE] })).toMatchObject({ caseId: TOLD, role: 'other' });
  });
});
