import type { EmbargoConfig } from '../../config/embargo-config';
import type { OutboundMessage } from '../../outbound/outbound-message';
import { formatUtc } from '../../time/utc-text';

/**
 * The one short notice a sender gets when they first go over the limit in a window. Fixed
 * text: nothing of their mail is echoed (the From address may be forged, and the notice must
 * not carry anyone's words to it), and it is marked as automatic so robots do not answer.
 */
export function floodNotice(
  config: EmbargoConfig,
  to: string,
  refused: { counter: string; windowEnd: string },
): OutboundMessage {
  return {
    idempotencyKey: `flood-notice/${refused.counter}/${refused.windowEnd}`,
    from: { address: config.securityAddress, name: `${config.project} security team` },
    to: { address: to },
    subject: `Your mail to ${config.securityAddress} is collected`,
    text: [
      `${config.securityAddress} has received more reports from this address (or its domain)`,
      'in the last day than are read at once.',
      '',
      'Further reports from this address are collected and will be read. They get no',
      `separate acknowledgment until ${formatUtc(refused.windowEnd)}; there is no need to send them again.`,
      '',
      `-- \n${config.project} security team (an automatic notice, sent once)`,
    ].join('\n'),
    autoSubmitted: 'auto-replied',
  };
}
