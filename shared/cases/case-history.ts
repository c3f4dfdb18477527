import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CaseEvent } from './case-record';

/** The hash before the first entry of every history. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything but the hash itself, in RFC 8785 canonical JSON. */
function entryHash(previous: string, event: CaseEvent): string {
  const { hash: _ignored, ...content } = event;
  return createHash('sha256')
    .update(previous)
    .update(canonicalize(content) ?? '')
    .digest('hex');
}

/**
 * Appends events to a history, each hash covering its predecessor's, so that changing,
 * removing or reordering any past entry breaks every hash after it.
 */
export function chainEvents(history: CaseEvent[], events: CaseEvent[]): CaseEvent[] {
  let previous = history.at(-1)?.hash ?? GENESIS_HASH;
  return events.map((event) => {
    const sealed = { ...event, hash: entryHash(previous, { ...event, hash: undefined }) };
    previous = sealed.hash;
    return sealed;
  });
}

export type ChainCheck = { intact: true } | { intact: false; brokenAt: number; eventId: string };

export function verifyChain(history: CaseEvent[]): ChainCheck {
  let previous = GENESIS_HASH;
  for (const [index, event] of history.entries()) {
    if (!event.hash || entryHash(previous, event) !== event.hash) {
      return { intact: false, brokenAt: index, eventId: event.id };
    }
    previous = event.hash;
  }
  return { intact: true };
}
