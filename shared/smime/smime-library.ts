/**
 * pkijs (with the asn1js it reads DER with), loaded when a message is S/MIME rather than when
 * the intake Lambda starts: together they are about 370 KiB of code, and most reports are plain
 * or OpenPGP. In the Lambda bundle it is a file of its own beside the bundle, read on the first
 * such message (infra/aws/functions/function-bundling.ts).
 *
 * Everything goes through pkijs (`ContentInfo.fromBER`), none through asn1js directly, so that
 * the ASN.1 values are always made by the asn1js pkijs itself reads.
 */
let loading: Promise<typeof import('pkijs')> | undefined;

export function smimeLibrary(): Promise<typeof import('pkijs')> {
  loading ??= import('pkijs');
  return loading;
}
