import { type CheckResult, fail, pass, skip } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'DKIM records';
const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** The three `<token>._domainkey.<domain>` CNAMEs SES gave for the identity, as DNS has them. */
export function checkDkimRecords(facts: Pick<DoctorFacts, 'dkimRecords' | 'domain'>): CheckResult {
  const records = facts.dkimRecords;
  if (!records?.length) {
    return skip(TITLE, `No DKIM tokens to look up (${facts.domain} is not an SES identity yet).`);
  }
  const wrong = records.filter(
    (r) => !(r.found.ok && r.found.value.map(bare).includes(bare(r.expected))),
  );
  if (wrong.length === 0)
    return pass(TITLE, `All ${records.length} DKIM CNAME records are in DNS.`);
  const lines = wrong.map((r) => {
    const seen = r.found.ok
      ? r.found.value.length
        ? `found ${r.found.value.join(', ')}`
        : 'not found'
      : r.found.problem;
    return `${r.name} CNAME ${r.expected} (${seen})`;
  });
  return fail(
    TITLE,
    `${wrong.length} of ${records.length} DKIM records are missing or wrong: ${lines.join('; ')}.`,
    'Publish them as CNAME records exactly as shown (stack outputs DkimRecord1-3). DNS changes can take a while to be seen.',
  );
}
