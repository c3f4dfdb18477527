import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { Authentication } from '../cases/case-record';
import type { MailDelivery } from '../mail/inbound-mail';
import type { ReportContent, SignatureCheck } from '../reports/report-content';

export type CommandAuthentication =
  | {
      ok: true;
      authentication: Authentication;
      /** The only text commands, advisory text and relayed text may come from. */
      signedText: string;
      signature?: SignatureCheck;
      /** Text beside the signed text that no signature covers: ignored, and said so. */
      unsignedBeside?: true;
    }
  | { ok: false; reason: string };

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
  const { signature, signedText, unsignedBeside, byKey } = signedByKey(content, fingerprint);

  if (signature && signedText !== undefined && fingerprint) {
    const stale = staleSignature(signature, config, now);
    if (stale) return { ok: false, reason: stale };
    return {
      ok: true,
      authentication: { method: 'pgp-signature', fingerprint },
      signedText,
      signature,
      ...(unsignedBeside ? { unsignedBeside: true as const } : {}),
    };
  }
  if (
    config.acceptDkimDmarcCommands &&
    delivery.verdicts.dkim === 'PASS' &&
    delivery.verdicts.dmarc === 'PASS'
  ) {
    // DKIM signs the whole body as sent; text beside a PGP block is no less covered by it.
    return { ok: true, authentication: { method: 'dkim-dmarc' }, signedText: content.text };
  }
  const unverified = content.signatures.find((s) => !s.verified);
  return {
    ok: false,
    reason: unverified
      ? `the signature does not verify with the maintainer's registered key (${unverified.problem ?? 'unknown problem'})`
      : content.signatures.some(byKey)
        ? 'the signature covers only part of the mail, not the command lines'
        : "the mail is not signed with the maintainer's registered key",
  };
}

/**
 * The text a registered key signed, and whether other text stands beside it. Only text whose
 * signed bytes hold it counts: an inline block's signature covers the block, not lines written
 * before or after it or another text part ("Johnny, You Are Fired!"). A key that arrived in
 * the mail itself, or an S/MIME signature, does not count.
 */
export function signedByKey(
  content: Pick<ReportContent, 'segments'>,
  fingerprint: string | undefined,
): {
  signature?: SignatureCheck;
  signedText?: string;
  unsignedBeside: boolean;
  byKey: (s: SignatureCheck) => boolean;
} {
  const byKey = (s: SignatureCheck) =>
    s.verified &&
    s.keyOrigin === 'known' &&
    s.part !== 'smime-signature' &&
    fingerprint !== undefined &&
    s.fingerprint === fingerprint;
  const covered = content.segments.filter((s) => s.signatures.some(byKey));
  const signature = covered.flatMap((s) => s.signatures).find(byKey);
  const unsignedBeside = content.segments.some(
    (s) => !s.signatures.some(byKey) && s.text.trim() !== '',
  );
  // Stretches that are not next to each other stay on lines of their own.
  const signedText = covered.length
    ? covered.map((s) => s.signedText ?? s.text).join(unsignedBeside ? '\n' : '')
    : undefined;
  return {
    ...(signature ? { signature } : {}),
    ...(signedText !== undefined ? { signedText } : {}),
    unsignedBeside,
    byKey,
  };
}

/** Why a signature is too old or dated ahead to be honoured, if it is (`commandSignatureMaxAgeDays`). */
export function staleSignature(
  signature: SignatureCheck,
  config: Pick<EmbargoConfig, 'commandSignatureMaxAgeDays'>,
  now: Date,
): string | undefined {
  const maxAgeMs = config.commandSignatureMaxAgeDays * 86_400_000;
  const created = signature.created ? new Date(signature.created) : undefined;
  if (!created || now.getTime() - created.getTime() > maxAgeMs)
    return `the signature is older than ${config.commandSignatureMaxAgeDays} days`;
  if (created.getTime() - now.getTime() > 3_600_000) return 'the signature is dated in the future';
  return undefined;
}
