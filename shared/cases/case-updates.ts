import type { CaseEvent, CaseRecord, CaseUpdate } from './case-record';

export function hasEvent(record: CaseRecord, eventId: string): boolean {
  return record.history.some((e) => e.id === eventId);
}

/** A decision for CaseRepository.update: append the event unless it is there already. */
export function appendOnce(event: CaseEvent, fields?: CaseUpdate['fields']) {
  return appendEachOnce({ events: [event], ...(fields ? { fields } : {}) });
}

/**
 * A decision for CaseRepository.update that makes several changes in one write: each change
 * (its events and its fields) is applied unless its events are in the history already, so a
 * change that another writer made meanwhile is not made twice.
 */
export function appendEachOnce(...changes: CaseUpdate[]) {
  return (current: CaseRecord): CaseUpdate | undefined => {
    const due = changes.filter((c) => !c.events.some((e) => hasEvent(current, e.id)));
    if (!due.length) return undefined;
    const fields = Object.assign({}, ...due.map((c) => c.fields ?? {})) as CaseUpdate['fields'];
    return {
      events: due.flatMap((c) => c.events),
      ...(fields && Object.keys(fields).length ? { fields } : {}),
    };
  };
}
