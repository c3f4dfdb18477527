import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome, openCaseOverSmtp } from '../support/local-project';
import { rawMessage } from '../support/smtp-client';
import { closeEndToEnd, readOutbox, replyToOf, startEndToEnd } from '../support/e2e-suite';

/**
 * The replies docs/signing-replies.md shows, made the way it shows them: the commands and text
 * through `gpg --clearsign` (or `gpg --sign --encrypt --armor`), sent over SMTP to the local
 * gateway as the page's swaks lines do (the README walkthrough's test runs swaks itself).
 */
describe('signing a reply as docs/signing-replies.md shows', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  let replyTo = '';
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const current = (): CaseRecord => JSON.parse(runCli(['case', caseId, '--json'], env).stdout);

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('signed-reply', {
      config: { maintainers: [fixtureMaintainer('mia')] },
    }));
    caseId = await openCaseOverSmtp(
      embargo,
      env,
      rawMessage({ from: 'alice@example.net', messageId: '<r1@example.net>', body: 'Overflow.' }),
      'alice@example.net',
    );
    const mails = await waitFor(
      () => readOutbox(dir),
      (m) => m.some((x) => x.deliveredTo === 'mia@example.org'),
    );
    replyTo = replyToOf(mails.find((x) => x.deliveredTo === 'mia@example.org')!);
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: [mia], dir }));

  function mail(body: string, messageId: string): string {
    const headers = [
      'From: Mia <mia@example.org>',
      `To: ${replyTo}`,
      `Subject: Re: [${caseId}]`,
      `Message-ID: ${messageId}`,
      '',
      '',
    ].join('\n');
    return (headers + body).replace(/\r?\n/g, '\r\n');
  }

  it('applies commands from a `gpg --clearsign` reply', async () => {
    expect(replyTo).toBe('security@example.org');
    const signed = mia.run(
      ['--clearsign', '--local-user', 'mia@example.org'],
      '/severity high\n/title Overflow in the parser\n\nThanks, confirmed.\n',
    );
    expect(signed.status).toBe(0);
    const outcome = await sendAndAwaitOutcome(
      embargo,
      env,
      mail(signed.stdout.toString(), '<c1@example.org>'),
      {
        from: 'mia@example.org',
        to: replyTo,
      },
    );
    expect(outcome).toEqual({ kind: 'follow-up', caseId });
    expect(current()).toMatchObject({ severity: 'high', title: 'Overflow in the parser' });
  });

  it('applies commands from a reply signed and encrypted to the project key', async () => {
    const sealed = mia.run(
      [
        '--armor',
        '--sign',
        '--encrypt',
        '--local-user',
        'mia@example.org',
        '--recipient',
        'security@example.org',
      ],
      '/affected < 2.4.3\n\nPatch attached in the next mail.\n',
    );
    expect(sealed.status).toBe(0);
    const outcome = await sendAndAwaitOutcome(
      embargo,
      env,
      mail(sealed.stdout.toString(), '<c2@example.org>'),
      {
        from: 'mia@example.org',
        to: replyTo,
      },
    );
    expect(outcome).toEqual({ kind: 'follow-up', caseId });
    expect(current().affected).toBe('< 2.4.3');
  });
});
