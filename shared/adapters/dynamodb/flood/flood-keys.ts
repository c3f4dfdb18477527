/**
 * Items of the flood defences in the single table (see ../table-layout.ts for the others):
 * ADMIT#<counter> (a sender's or domain's count in its rolling day), FLOODDIGEST#<hour> (that
 * hour's digest went out) and SENDBUDGET#<day> (mails sent that UTC day). Collected mail
 * itself is the inbound ledger's items with the outcome `flood`.
 *
 * Each carries the table's TTL attribute (`expiresAt`), from when it can no longer count:
 * a counter at its window's end, a digest mark once its hour is past every digest run's
 * look-back, a sending day when the UTC day is over; each a day later, so that whoever looks
 * into a flood the day after still finds them.
 */
export const floodKeys = {
  admission: (counter: string) => ({ pk: `ADMIT#${counter}`, sk: 'ADMIT' }),
  digest: (hour: string) => ({ pk: `FLOODDIGEST#${hour}`, sk: 'FLOODDIGEST' }),
  sendingDay: (day: string) => ({ pk: `SENDBUDGET#${day}`, sk: 'SENDBUDGET' }),
} as const;

/** Kept this long after an item stops counting (see above); the TTL deletes it later still. */
export const KEPT_AFTER_MS = 24 * 3_600_000;
