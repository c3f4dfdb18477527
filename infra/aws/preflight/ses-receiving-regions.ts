/**
 * The AWS Regions where Amazon SES receives email, by Region code.
 *
 * Source: "Amazon Simple Email Service endpoints and quotas", section "Email receiving
 * endpoints", https://docs.aws.amazon.com/general/latest/gr/ses.html (the SES developer guide
 * points to it from https://docs.aws.amazon.com/ses/latest/dg/regions.html#region-receive-email).
 * Transcribed 2026-12-01. Only Regions the page lists for receiving belong here; AWS adds
 * Regions over time, so when the page lists a new one, add it here (one line) rather than
 * working around the check.
 */
export const SES_RECEIVING_REGIONS_SOURCE =
  'https://docs.aws.amazon.com/general/latest/gr/ses.html';
export const SES_RECEIVING_REGIONS_CHECKED = '2026-12-01';

export const SES_RECEIVING_REGIONS: readonly string[] = [
  'us-east-1', // US East (N. Virginia)
  'us-east-2', // US East (Ohio)
  'us-west-1', // US West (N. California)
  'us-west-2', // US West (Oregon)
  'ca-central-1', // Canada (Central)
  'eu-central-1', // Europe (Frankfurt)
  'eu-west-1', // Europe (Ireland)
  'eu-west-2', // Europe (London)
  'eu-west-3', // Europe (Paris)
  'eu-north-1', // Europe (Stockholm)
  'eu-south-1', // Europe (Milan)
  'ap-south-1', // Asia Pacific (Mumbai)
  'ap-northeast-1', // Asia Pacific (Tokyo)
  'ap-northeast-2', // Asia Pacific (Seoul)
  'ap-northeast-3', // Asia Pacific (Osaka)
  'ap-southeast-1', // Asia Pacific (Singapore)
  'ap-southeast-2', // Asia Pacific (Sydney)
  'sa-east-1', // South America (São Paulo)
];

/** Whether SES receives email in `region` (per the list above). */
export function sesReceivesMailIn(region: string): boolean {
  return SES_RECEIVING_REGIONS.includes(region);
}

/** The host a domain's MX record names for SES receiving in `region`. */
export function inboundSmtpHostFor(region: string): string {
  return `inbound-smtp.${region}.amazonaws.com`;
}

/** What to tell someone whose region does not receive mail: the region and where to look. */
/** Why a region without SES receiving cannot be used, and what to do: for synth and doctor. */
export function notReceiving(region: string): { reason: string; action: string } {
  return {
    reason: `SES does not receive email in ${region}, so Embargo cannot work there.`,
    action:
      `The Regions with SES email receiving are listed under "Email receiving endpoints" at ` +
      `${SES_RECEIVING_REGIONS_SOURCE} (as of ${SES_RECEIVING_REGIONS_CHECKED}: ` +
      `${SES_RECEIVING_REGIONS.join(', ')}). Deploy to one of them (AWS_REGION or your profile's ` +
      `region). If that page now lists ${region}, add it to infra/aws/preflight/ses-receiving-regions.ts.`,
  };
}

export function notReceivingMessage(region: string): string {
  const { reason, action } = notReceiving(region);
  return `${reason} ${action}`;
}
