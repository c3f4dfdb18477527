/** Which cases are counted: those received at or after `start` and before `end` (either open). */
export interface StatsPeriod {
  start?: Date;
  end?: Date;
}

export const inPeriod = (period: StatsPeriod, receivedAt: Date): boolean =>
  (!period.start || receivedAt >= period.start) && (!period.end || receivedAt < period.end);
