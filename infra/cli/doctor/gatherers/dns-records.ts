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

/**
 * Whether the resolver knows names at all: asked about `control`, a name that exists (SES's
 * inbound endpoint), it must not say "no such name". A machine without working DNS (a sandbox,
 * a captive network) gets "no such name" for everything, which would read as a missing record.
 */
async function resolverWorks(api: DnsApi, control: string): Promise<boolean> {
  try {
    await api.resolveMx(control);
    return true;
  } catch (err) {
    return (err as { code?: string }).code !== 'ENOTFOUND';
  }
}

export async function gatherMx(
  api: DnsApi,
  domain: string,
  control: string,
): Promise<Gathered<MxFacts>> {
  try {
    return found({ exchanges: await api.resolveMx(domain) });
  } catch (err) {
    if (!absent(err)) return notGathered(awsProblem(`DNS MX lookup of ${domain}`, err));
    if (await resolverWorks(api, control)) return found({ exchanges: [] });
    return notGathered(
      `DNS does not work from here: the resolver says that ${domain} has no MX record, but also that ${control} (SES's own endpoint) does not exist`,
    );
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
