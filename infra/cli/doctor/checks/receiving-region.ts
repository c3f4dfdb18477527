import {
  inboundSmtpHostFor,
  notReceivingMessage,
  sesReceivesMailIn,
} from '../../../aws/preflight/ses-receiving-regions';
import { type CheckResult, fail, pass } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'Region receives mail';

export function checkReceivingRegion(facts: Pick<DoctorFacts, 'region'>): CheckResult {
  if (!sesReceivesMailIn(facts.region)) {
    return fail(
      TITLE,
      `SES does not receive email in ${facts.region}.`,
      notReceivingMessage(facts.region),
    );
  }
  return pass(
    TITLE,
    `SES receives email in ${facts.region} (${inboundSmtpHostFor(facts.region)}).`,
  );
}
