import { FileProjectKeySource } from '../../shared/adapters/files/file-project-key-source';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { checkSender } from '../../shared/intake/sender-check';
import type { InboundMail, MailDelivery } from '../../shared/mail/inbound-mail';
import type { Distributor } from '../../shared/notices/distributor-directory';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { projectKeyLoader } from '../../shared/pgp/project-key-loader';
import type { ReportContent } from '../../shared/reports/report-content';
import { PGP_FIXTURES, pgpFixture, testConfig } from '../support/local-stores';
import { join } from 'node:path';
import { generateKey } from 'openpgp';
import fingerprints from '../fixtures/pgp/fingerprints.json';

// Real keys made by GnuPG (scripts/make-pgp-fixtures.ts), read by the real OpenPGP code.
const key = (name: string) => pgpFixture(`${name}-public.asc`).toString();
const crypto = new OpenPgpMailCrypto(
  projectKeyLoader(new FileProjectKeySource(join(PGP_FIXTURES, 'project-secret.asc'))),
);
const config: EmbargoConfig = {
  ...testConfig,
  maintainers: [{ name: 'Mia', email: 'mia@example.org', publicKeyArmored: key('mia') }],
};
const debian: Distributor = {
  email: 'security@debian.example',
  name: 'Debian',
  publicKeyArmored: key('debian'),
  fingerprint: fingerprints.debian,
  addedAt: '2026-11-01T00:00:00.000Z',
};

function mail(from: string | undefined, extra: Partial<InboundMail> = {}): InboundMail {
  return {
    ...(from ? { from: { address: from } } : {}),
    subject: 'A report',
    references: [],
    headers: new Map(),
    contentType: 'text/plain',
    ...extra,
  };
}

function delivery(envelopeFrom: string): MailDelivery {
  return {
    messageId: 'm-1',
    receivedAt: new Date('2026-12-01T09:00:00Z'),
    envelopeFrom,
    recipients: ['security@example.org'],
    verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
  };
}

function content(offeredKeys: string[] = []): ReportContent {
  return {
    encryption: 'none',
    text: 'hello',
    segments: [],
    attachments: [],
    signatures: [],
    offeredKeys,
  };
}

let distributorReads = 0;
async function check(
  from: string | undefined,
  envelope: string,
  offered: string[] = [],
  extra = {},
) {
  return checkSender({
    config,
    crypto,
    distributors: () => {
      distributorReads++;
      return Promise.resolve([debian]);
    },
    mail: mail(from, extra),
    delivery: delivery(envelope),
    content: content(offered),
  });
}

describe('checkSender', () => {
  beforeEach(() => (distributorReads = 0));

  it('has nothing to say about a sender whose From is the envelope sender and who offers no key', async () => {
    expect(await check('alice@example.net', 'Alice@Example.net')).toEqual({
      warnings: [],
      keysRefused: false,
    });
    // The directory is read only when a key is offered.
    expect(distributorReads).toBe(0);
  });

  it('warns when the From mailbox is not the envelope sender, and names both', async () => {
    const { warnings, keysRefused } = await check('alice@example.net', 'bounce@lists.example');
    expect(keysRefused).toBe(false);
    expect(warnings).toEqual([
      {
        kind: 'envelope-differs',
        text: expect.stringContaining(
          'From alice@example.net is not the envelope sender bounce@lists.example',
        ),
      },
    ]);
  });

  it('reports a refused From header in one line and refuses any key the mail offers', async () => {
    const { warnings, keysRefused } = await check(undefined, 'x@example.net\r\nBcc: y', [], {
      fromRefused: { text: 'a@b, c@d', reason: 'more than one mailbox' },
    });
    expect(keysRefused).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.kind).toBe('from-refused');
    expect(warnings[0]!.text).toContain(
      'From header refused: more than one mailbox. It reads: a@b, c@d',
    );
    expect(warnings[0]!.text).not.toMatch(/[\r\n]/);
    expect(warnings[0]!.text).toContain('Nothing is sent to this sender');
  });

  it('names an empty envelope sender as such', async () => {
    const { warnings } = await check('alice@example.net', '');
    expect(warnings[0]!.text).toContain('envelope sender (empty)');
  });

  it('accepts a reporter offering their own key', async () => {
    expect(await check('alice@example.net', 'alice@example.net', [key('alice')])).toEqual({
      warnings: [],
      keysRefused: false,
    });
    expect(distributorReads).toBe(1);
  });

  it('calls a key offered from a maintainer address an impersonation, unless it is the registered key', async () => {
    const forged = await check('mia@example.org', 'mia@example.org', [key('eve')]);
    expect(forged.keysRefused).toBe(true);
    expect(forged.warnings).toEqual([
      {
        kind: 'impersonation',
        text: `Impersonation attempt: this mail offers key ${fingerprints.eve} for mia@example.org, the address of maintainer Mia. It was not recorded as anyone's key.`,
      },
    ]);
    // Mia's own key is no attack, but still never recorded as a reporter's key.
    expect(await check('mia@example.org', 'mia@example.org', [key('mia')])).toEqual({
      warnings: [],
      keysRefused: true,
    });
  });

  it("does not call a party's registered key an impersonation, whoever offers it", async () => {
    // debian-public.asc's user id names security@debian.example; max's names a mailbox nobody protects.
    const { warnings, keysRefused } = await check('alice@example.net', 'alice@example.net', [
      key('debian'),
      key('max'),
    ]);
    expect(warnings).toEqual([]);
    expect(keysRefused).toBe(false);
    const forged = await check('eve@example.net', 'eve@example.net', [key('project')]);
    // project-public.asc names security@example.org, the project's address: Eve offering it is
    // no attack either (it is the project's own key).
    expect(forged.warnings).toEqual([]);
  });

  it("calls a stranger's key whose user id names a maintainer an impersonation", async () => {
    const { publicKey } = await generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'Mia Maintainer', email: 'mia@example.org' }],
      format: 'armored',
    });
    const { warnings, keysRefused } = await check('eve@example.net', 'eve@example.net', [
      publicKey,
    ]);
    // Eve's own address is nobody's: only the key's user id claims Mia's.
    expect(keysRefused).toBe(false);
    expect(warnings).toEqual([
      {
        kind: 'impersonation',
        text: expect.stringContaining('for mia@example.org, the address of maintainer Mia'),
      },
    ]);
  });

  it("calls a key offered from the project's reply address (local+token) an impersonation of the project", async () => {
    const { warnings, keysRefused } = await check(
      'security+abc123@example.org',
      'security+abc123@example.org',
      [key('eve')],
    );
    expect(keysRefused).toBe(true);
    expect(warnings).toEqual([
      {
        kind: 'impersonation',
        text: expect.stringContaining(
          `offers key ${fingerprints.eve} for security@example.org, the address of the project`,
        ),
      },
    ]);
  });

  it('calls a key offered from a distributor address an impersonation, once per party', async () => {
    const { warnings } = await check('security@debian.example', 'security@debian.example', [
      key('eve'),
      key('eve'),
    ]);
    expect(warnings).toEqual([
      {
        kind: 'impersonation',
        text: expect.stringContaining(`for security@debian.example, the address of a distributor`),
      },
    ]);
  });

  it('says "a key" when the offered key cannot be read', async () => {
    const { warnings } = await check('mia@example.org', 'mia@example.org', ['not a key']);
    expect(warnings.map((w) => w.text)).toEqual([
      expect.stringContaining('this mail offers a key for mia@example.org'),
    ]);
  });
});
