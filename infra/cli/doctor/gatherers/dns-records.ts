import { Resolver } from 'node:dns/promises';
import {
  type DkimRecordFacts,
  found,
  type Gathered,
  type MxFacts,
  notGathered,
} from '../doctor-facts';
import { awsProblem } from './aws-problem';

/** The DNS lookups the doctor makes (node:dns; a test points it at a local server). */
export interface DnsApi {
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolveCname(name: string): Promise<string[]>;
}

/** The system's resolver, or the given servers (`host:port`). */
export function dnsApi(servers?: string[], timeoutMs = 5000): DnsApi {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  return {
    resolveMx: (name) => resolver.resolveMx(name),
    resolveCname: (name) => resolver.resolveCname(name),
  };
}

/** No such name, or no record of that type: an answer, not a failure to look. */
const absent = (err: unknown) =>
  ['ENOTFOUND', 'ENODATA'].includes((err as { code?: string }).code ?? '');

export async function gatherMx(api: DnsApi, domain: string): Promise<Gathered<MxFacts>> {
  try {
    return found({ exchanges: await api.resolveMx(domain) });
  } catch (err) {
    if (absent(err)) return found({ exchanges: [] });
    return notGathered(awsProblem(`DNS MX lookup of ${domain}`, err));
  }
}

/** The CNAMEs of SES's DKIM tokens (Easy DKIM: `<token>._domainkey.<domain>` → `<token>.dkim.amazonses.com`). */
export async function gatherDkimRecords(
  api: DnsApi,
  domain: string,
  tokens: string[],
): Promise<DkimRecordFacts[]> {
  return Promise.all(
    tokens.map(async (token): Promise<DkimRecordFacts> => {
      const name = `${token}._domainkey.${domain}`;
      const expected = `${token}.dkim.amazonses.com`;
      try {
        return { name, expected, found: found(await api.resolveCname(name)) };
      } catch (err) {
        if (absent(err)) return { name, expected, found: found([]) };
        return {
          name,
          expected,
          found: notGathered(awsProblem(`DNS CNAME lookup of ${name}`, err)),
        };
      }
    }),
  );
}
