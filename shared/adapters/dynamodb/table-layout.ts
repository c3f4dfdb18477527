import { sentMailKey } from '../../outbound/ses-behaviour/ses-message-id';

/**
 * The single-table layout shared by the adapters, the CDK stack and the local runtime.
 * Items: CASE#<id>, COUNTER#<year>, TOKEN#<token> (reply tokens made before tokens named
 * their case; read only), INBOUND#<messageId>, FINGERPRINT#<sha256>,
 * OUTBOX#<key>, SENT#<Message-ID>, SIGNATURE#<sha256>, DISTRIBUTOR#<email>, HOLD#<notice>
 * (a scheduled notice being sent), SCHEDULE#<name> (local mode only), CVEWATCH#<case id> (a case
 * waiting for GitHub's CVE id); `gsi1` lists cases and inbound messages by time, and the cases
 * waiting for a CVE id (a sparse list: an entry leaves it when its case no longer waits).
 */
export const tableLayout = {
  partitionKey: 'pk',
  sortKey: 'sk',
  listIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * The table's TTL attribute: an item with it (epoch seconds) is deleted by DynamoDB some
   * time after then (usually within days). Only items that mean nothing after a known moment
   * carry it: the flood counters, digest marks and sending days (see flood/flood-keys.ts).
   */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** The TTL attribute's value for an item that means nothing after `at`. */
export function expiresAtOf(at: Date | string): number {
  return Math.ceil(new Date(at).getTime() / 1000);
}

export const keys = {
  case: (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' }),
  counter: (year: number) => ({ pk: `COUNTER#${year}`, sk: 'COUNTER' }),
  replyToken: (token: string) => ({ pk: `TOKEN#${token}`, sk: 'TOKEN' }),
  inbound: (messageId: string) => ({ pk: `INBOUND#${messageId}`, sk: 'INBOUND' }),
  fingerprint: (fingerprint: string) => ({ pk: `FINGERPRINT#${fingerprint}`, sk: 'FINGERPRINT' }),
  outbox: (key: string) => ({ pk: `OUTBOX#${key}`, sk: 'OUTBOX' }),
  sentMessage: (messageIdHeader: string) => ({
    pk: `SENT#${sentMailKey(messageIdHeader)}`,
    sk: 'SENT',
  }),
  signature: (signatureId: string) => ({ pk: `SIGNATURE#${signatureId}`, sk: 'SIGNATURE' }),
  ciphertext: (fingerprint: string) => ({ pk: `CIPHERTEXT#${fingerprint}`, sk: 'CIPHERTEXT' }),
  distributor: (email: string) => ({ pk: `DISTRIBUTOR#${email}`, sk: 'DISTRIBUTOR' }),
  noticeHold: (notice: string) => ({ pk: `HOLD#${notice}`, sk: 'HOLD' }),
  schedule: (name: string) => ({ pk: `SCHEDULE#${name}`, sk: 'SCHEDULE' }),
  cveWatch: (caseId: string) => ({ pk: `CVEWATCH#${caseId}`, sk: 'CVEWATCH' }),
  reporter: (addressHash: string) => ({ pk: `REPORTER#${addressHash}`, sk: 'REPORTER' }),
} as const;

export const listPartitions = {
  cases: 'CASES',
  inbound: 'INBOUND',
  distributors: 'DISTRIBUTORS',
  /** Local mode's pending schedules, sorted by when they are due. */
  schedules: 'SCHEDULES',
  /** Cases waiting for the CVE id GitHub was asked for, by when it was asked. */
  cveWatch: 'CVE-WATCH',
} as const;
