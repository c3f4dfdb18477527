import {
  quarantineExplanations as mimeExplanations,
  type MimeQuarantineReason,
} from '../mail/mime-limits';

/** Why a message was kept but not handled: its structure, or the case it belongs to. */
export type QuarantineReason = MimeQuarantineReason | 'case-full';

export const quarantineExplanations: Record<QuarantineReason, string> = {
  ...mimeExplanations,
  'case-full':
    'its case has reached the size a case may hold for outside mail; only mail signed by a maintainer is still added to it',
};
