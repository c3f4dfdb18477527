import type { CaseRecipient } from '../cases/case-recipient';

export type ConsentMode = 'with-notice' | 'before-details';

/**
 * What a notice run does for one distributor: send the details, send the invitation, wait for
 * its answer, mark a silent invitation lapsed, or send nothing because it declined or lapsed.
 */
export type ConsentStep = 'details' | 'invite' | 'awaiting' | 'lapse' | 'refused';

const DAY = 86_400_000;

/** When an invitation sent at `invitedAt` stops being open. */
export function invitationClosesAt(invitedAt: string, windowDays: number): Date {
  return new Date(new Date(invitedAt).getTime() + windowDays * DAY);
}

export function consentStep(
  mode: ConsentMode,
  entry: CaseRecipient | undefined,
  now: Date,
  windowDays: number,
): ConsentStep {
  if (mode === 'with-notice') return 'details';
  switch (entry?.consent?.state) {
    case undefined:
      return 'invite';
    case 'accepted':
      return 'details';
    case 'declined':
    case 'lapsed':
      return 'refused';
    case 'invited':
      return entry.invited && invitationClosesAt(entry.invited.at, windowDays) <= now
        ? 'lapse'
        : 'awaiting';
  }
}
