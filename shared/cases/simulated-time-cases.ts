import type { Clock } from '../time/clock';
import type { CaseId } from './case-id';
import type { CaseEvent, CaseRecord, CaseUpdate } from './case-record';
import type { CaseRepository, ReceivedRange } from './case-repository';
import type { ComparedCase } from './compared-case';

/**
 * The case repository for work run as of another instant (`embargo tick --now`): the services
 * date their events by the simulated clock, and this records each at the real time instead,
 * keeping the simulated instant as `simulatedAt`, so an audit history never holds a future
 * date and sorts in the order things happened.
 */
export class SimulatedTimeCases implements CaseRepository {
  constructor(
    private readonly cases: CaseRepository,
    private readonly realClock: Clock,
  ) {}

  private restamp(events: CaseEvent[]): CaseEvent[] {
    const at = this.realClock.now().toISOString();
    return events.map((event) => ({ ...event, at, simulatedAt: event.simulatedAt ?? event.at }));
  }

  nextSequence(year: number): Promise<number> {
    return this.cases.nextSequence(year);
  }

  createIfAbsent(record: CaseRecord): Promise<{ record: CaseRecord; created: boolean }> {
    return this.cases.createIfAbsent({ ...record, history: this.restamp(record.history) });
  }

  get(id: CaseId): Promise<CaseRecord | undefined> {
    return this.cases.get(id);
  }

  list(): Promise<CaseRecord[]> {
    return this.cases.list();
  }

  listCompared(): Promise<ComparedCase[]> {
    return this.cases.listCompared();
  }

  listReceived(range: ReceivedRange): Promise<CaseRecord[]> {
    return this.cases.listReceived(range);
  }

  listAwaitingCve(): Promise<CaseRecord[]> {
    return this.cases.listAwaitingCve();
  }

  update(
    target: CaseId | CaseRecord,
    decide: (current: CaseRecord) => CaseUpdate | undefined,
  ): Promise<CaseRecord> {
    return this.cases.update(target, (current) => {
      const change = decide(current);
      return change && { ...change, events: this.restamp(change.events) };
    });
  }
}
