import { compareVersions } from '../../shared/advisories/version-ranges';

// OSV's evaluation of a version against an `affected` entry, as the spec gives it
// (https://ossf.github.io/osv-schema/#evaluation): a version is affected when it is listed in
// `versions` or falls in any range; within a range the events are sorted by version and walked
// in order, `introduced` switching "affected" on, `fixed` (at or after) and `last_affected`
// (after) switching it off. Written from the spec, independently of the code that builds ranges.

export type Json = Record<string, unknown>;
type Event = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };
type Order = (a: string, b: string) => number;

/** Dotted numeric versions, the ones the tests use for ECOSYSTEM and SEMVER ranges. */
export const numericOrder: Order = (a, b) => {
  const order = compareVersions(a, b);
  if (order === undefined) throw new Error(`the test cannot order ${a} and ${b}`);
  return order;
};

/** A linear git history, oldest first: commits are ordered by their place in it. */
export function historyOrder(history: string[]): Order {
  return (a, b) => {
    const [ia, ib] = [history.indexOf(a), history.indexOf(b)];
    if (ia < 0 || ib < 0) throw new Error(`commit ${ia < 0 ? a : b} is not in the history`);
    return ia - ib;
  };
}

const eventVersion = (e: Event): string =>
  e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';

function compareEvents(a: Event, b: Event, order: Order): number {
  const [va, vb] = [eventVersion(a), eventVersion(b)];
  if (va === '0' || vb === '0') return va === vb ? 0 : va === '0' ? -1 : 1;
  return order(va, vb);
}

function inRange(version: string, events: Event[], order: Order): boolean {
  let affected = false;
  for (const event of [...events].sort((a, b) => compareEvents(a, b, order))) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || order(version, event.introduced) >= 0) affected = true;
    } else if (event.fixed !== undefined) {
      if (order(version, event.fixed) >= 0) affected = false;
    } else if (event.last_affected !== undefined) {
      if (order(version, event.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** Whether OSV reads `version` as affected by the entry. */
export function osvAffects(entry: Json, version: string, order: Order = numericOrder): boolean {
  if ((entry.versions as string[] | undefined)?.includes(version)) return true;
  const ranges = (entry.ranges as { events: Event[] }[] | undefined) ?? [];
  return ranges.some((range) => inRange(version, range.events, order));
}

/** Whether every range lists its events in version order (as producers should write them). */
export function eventsSorted(entry: Json, order: Order = numericOrder): boolean {
  const ranges = (entry.ranges as { events: Event[] }[] | undefined) ?? [];
  return ranges.every((range) =>
    range.events.every((e, i) => i === 0 || compareEvents(range.events[i - 1]!, e, order) <= 0),
  );
}
