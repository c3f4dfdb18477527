import type { CaseEvent, CaseRecord, CaseUpdate } from './case-record';

export function hasEvent(record: CaseRecord, eventId: string): boolean {
  return record.history.some((e) => e.id === eventId);
}

/** A decision for CaseRepository.update: append the event unless it is there already. */
export function appendOnce(event: CaseEvent, fields?: CaseUpdate['fields']) {
  return (current: CaseRecord): CaseUpdate | undefined =>
    hasEvent(current, event.id) ? undefined : { events: [event], ...(fields ? { fields } : {}) };
}
