/**
 * Items of the flood defences in the single table (see ../table-layout.ts for the others):
 * ADMIT#<counter> (a sender's or domain's count in its rolling day), FLOOD#<hour> (mail
 * collected as flood in that UTC hour, one item per message, for the hourly digest),
 * FLOODDIGEST#<hour> (that hour's digest went out) and
 * SENDBUDGET#<day> (mails sent that UTC day).
 */
export const floodKeys = {
  admission: (counter: string) => ({ pk: `ADMIT#${counter}`, sk: 'ADMIT' }),
  collected: (hour: string, receivedAt: string, messageId: string) => ({
    pk: `FLOOD#${hour}`,
    sk: `${receivedAt}#${messageId}`,
  }),
  collectedHour: (hour: string) => `FLOOD#${hour}`,
  digest: (hour: string) => ({ pk: `FLOODDIGEST#${hour}`, sk: 'FLOODDIGEST' }),
  sendingDay: (day: string) => ({ pk: `SENDBUDGET#${day}`, sk: 'SENDBUDGET' }),
} as const;
