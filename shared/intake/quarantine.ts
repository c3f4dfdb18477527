import {
  quarantineExplanations as mimeExplanations,
  type MimeQuarantineReason,
} from '../mail/mime-limits';

/** Why a message was kept but not handled: its structure, or the case it belongs to. */
export type QuarantineReason = MimeQuarantineReason | 'case-full' | 'unstorable';

export const quarantineExplanations: Record<QuarantineReason, string> = {
  ...mimeExplanations,
  'case-full':
    'its case has reached the size a case may hold for outside mail; only mail signed by a maintainer is still added to it',
  unstorable:
    'a value in it is larger than the case table can store (a key or an item over its size limit), which no retry can change',
};
