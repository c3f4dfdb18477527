import {
  quarantineExplanations as mimeExplanations,
  type MimeQuarantineReason,
} from '../mail/mime-limits';

/** Why a message was kept but not handled: its structure, or the case it belongs to. */
export type QuarantineReason =
  MimeQuarantineReason | 'case-full' | 'unstorable' | 'raw-mail-missing';

export const quarantineExplanations: Record<QuarantineReason, string> = {
  ...mimeExplanations,
  'case-full':
    'its case has reached the size a case may hold for outside mail; only mail signed by a maintainer is still added to it',
  unstorable:
    'a value in it is larger than the case table can store (a key or an item over its size limit), which no retry can change',
  'raw-mail-missing':
    'no raw message is stored under the id the event names (deleted or expired, or an event the receipt rule did not make); S3 reads are strongly consistent, so no retry finds it',
};
