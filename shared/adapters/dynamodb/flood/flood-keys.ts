/**
 * Items of the flood defences in the single table (see ../table-layout.ts for the others):
 * ADMIT#<counter> (a sender's or domain's count in its rolling day), FLOODDIGEST#<hour> (that
 * hour's digest went out) and SENDBUDGET#<day> (mails sent that UTC day). Collected mail
 * itself is the inbound ledger's items with the outcome `flood`.
 */
export const floodKeys = {
  admission: (counter: string) => ({ pk: `ADMIT#${counter}`, sk: 'ADMIT' }),
  digest: (hour: string) => ({ pk: `FLOODDIGEST#${hour}`, sk: 'FLOODDIGEST' }),
  sendingDay: (day: string) => ({ pk: `SENDBUDGET#${day}`, sk: 'SENDBUDGET' }),
} as const;
