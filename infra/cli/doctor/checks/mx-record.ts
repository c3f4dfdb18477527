import { inboundSmtpHostFor } from '../../../aws/preflight/ses-receiving-regions';
import { type CheckResult, fail, notChecked, pass, warn } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'MX record';
const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function checkMxRecord(facts: Pick<DoctorFacts, 'mx' | 'domain' | 'region'>): CheckResult {
  if (!facts.mx.ok) return notChecked(TITLE, facts.mx.problem);
  const expected = inboundSmtpHostFor(facts.region);
  const record = `${facts.domain} MX 10 ${expected}`;
  const exchanges = [...facts.mx.value.exchanges].sort((a, b) => a.priority - b.priority);
  if (exchanges.length === 0) {
    return fail(
      TITLE,
      `${facts.domain} has no MX record, so mail to it cannot reach SES.`,
      `Publish ${record} (docs/deploy.md, step 4).`,
    );
  }
  const ses = exchanges.filter((e) => bare(e.exchange) === expected);
  const listed = exchanges.map((e) => `${e.priority} ${bare(e.exchange)}`).join(', ');
  if (ses.length === 0) {
    return fail(
      TITLE,
      `${facts.domain}'s MX (${listed}) does not name ${expected}, SES's inbound endpoint in ${facts.region}.`,
      `Replace it with ${record} (or use a subdomain for the security address if the domain's mail goes elsewhere).`,
    );
  }
  if (exchanges.length > ses.length) {
    return warn(
      TITLE,
      `${facts.domain}'s MX names ${expected} and other hosts (${listed}); mail that reaches the others never gets to Embargo.`,
      `Keep only ${record}.`,
    );
  }
  return pass(TITLE, `${facts.domain} MX points at ${expected}.`);
}
