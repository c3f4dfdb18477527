import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { Authentication } from '../cases/case-record';
import type { MailDelivery } from '../mail/inbound-mail';
import type { ReportContent, SignatureCheck } from '../reports/report-content';

export type CommandAuthentication =
  | { ok: true; authentication: Authentication; signedText: string; signature?: SignatureCheck }
  | { ok: false; reason: string };

const CLEARSIGNED_TEXT =
  /-----BEGIN PGP SIGNED MESSAGE-----\r?\n(?:[A-Za-z]+: .*\r?\n)*\r?\n([\s\S]*?)\r?\n-----BEGIN PGP SIGNATURE-----/;

/** The text a clearsigned block signs, with RFC 4880 dash-escaping undone. */
export function clearsignedText(text: string): string | undefined {
  const body = CLEARSIGNED_TEXT.exec(text)?.[1];
  return body?.replace(/^- /gm, '');
}

/**
 * Decides whether a maintainer's mail may change a case, and which text is authenticated: the
 * commands must be inside what the maintainer's registered key signed. A signature over only
 * part of the mail, or by a key that arrived in the mail itself, does not count.
 */
export async function authenticateCommands(input: {
  config: EmbargoConfig;
  crypto: MailCrypto;
  maintainer: Maintainer | undefined;
  content: ReportContent;
  delivery: MailDelivery;
  now: Date;
}): Promise<CommandAuthentication> {
  const { config, maintainer, content, delivery, now } = input;
  if (!maintainer) return { ok: false, reason: 'the sender is not a configured maintainer' };

  const registered = maintainer.publicKeyArmored
    ? await input.crypto.inspectKey(maintainer.publicKeyArmored)
    : undefined;
  const fingerprint = registered?.usable ? registered.fingerprint : undefined;
  const byMaintainer = content.signatures.filter(
    (s) =>
      s.verified &&
      s.keyOrigin === 'known' &&
      fingerprint !== undefined &&
      s.fingerprint === fingerprint,
  );
  const whole = byMaintainer.find((s) => s.part !== 'clearsigned-block' && !s.partial);
  const clear = byMaintainer.find((s) => s.part === 'clearsigned-block');
  const signature = whole ?? clear;
  const signedText = whole ? content.text : clear ? clearsignedText(content.text) : undefined;

  if (signature && signedText !== undefined && fingerprint) {
    const maxAgeMs = config.commandSignatureMaxAgeDays * 86_400_000;
    const created = signature.created ? new Date(signature.created) : undefined;
    if (!created || now.getTime() - created.getTime() > maxAgeMs) {
      return {
        ok: false,
        reason: `the signature is older than ${config.commandSignatureMaxAgeDays} days`,
      };
    }
    if (created.getTime() - now.getTime() > 3_600_000) {
      return { ok: false, reason: 'the signature is dated in the future' };
    }
    return {
      ok: true,
      authentication: { method: 'pgp-signature', fingerprint },
      signedText,
      signature,
    };
  }
  if (
    config.acceptDkimDmarcCommands &&
    delivery.verdicts.dkim === 'PASS' &&
    delivery.verdicts.dmarc === 'PASS'
  ) {
    return { ok: true, authentication: { method: 'dkim-dmarc' }, signedText: content.text };
  }
  const unverified = content.signatures.find((s) => !s.verified);
  return {
    ok: false,
    reason: unverified
      ? `the signature does not verify with the maintainer's registered key (${unverified.problem ?? 'unknown problem'})`
      : byMaintainer.length
        ? 'the signature covers only part of the mail, not the command lines'
        : "the mail is not signed with the maintainer's registered key",
  };
}
