import type { Authentication } from '../../shared/cases/case-record';
import {
  applyRecipientEvent,
  recipientOf,
  type RecipientEvent,
  type RecipientRef,
} from '../../shared/distributors/recipient-events';
import { recipientSummaries } from '../../shared/distributors/recipient-summary';
import {
  caseRecipients,
  chooseRecipients,
  storedSelection,
} from '../../shared/distributors/recipient-selection';
import { distributorStatements } from '../../shared/distributors/distributor-statements';
import { checkStoredCase } from '../../shared/cases/case-record-schema';
import { caseRecord } from '../support/case-builder';

const debian: RecipientRef = { email: 'Security@Debian.example', name: 'Debian' };
const fedora: RecipientRef = { email: 'secalert@fedora.example', name: 'Fedora' };
const signed: Authentication = { method: 'pgp-signature', fingerprint: 'ABCD' };
const unsigned: Authentication = { method: 'none' };
const ROUND = '2027-01-12T14:00:00.000Z';
const NEXT = `${ROUND}/1`;

/** The recipients of a case after these events, in order. */
const applied = (steps: [RecipientRef, RecipientEvent][]) =>
  steps
    .slice(1)
    .reduce(
      (list, [who, event]) => applyRecipientEvent(list, who, event),
      applyRecipientEvent(undefined, ...steps[0]!),
    );
/** Both distributors sent the round's notice at t1, and Debian confirmed it (signed) at t2. */
const toldBothDebianConfirmed: [RecipientRef, RecipientEvent][] = [
  [debian, { kind: 'notice-sent', at: 't1', round: ROUND }],
  [fedora, { kind: 'notice-sent', at: 't1', round: ROUND }],
  [debian, { kind: 'received', at: 't2', round: ROUND, authentication: signed }],
];

describe('the per-case record of each recipient', () => {
  it('records the notice, a signed confirmation, status and date request for one distributor', () => {
    const recipients = applied([
      ...toldBothDebianConfirmed,
      [
        debian,
        {
          kind: 'status',
          at: 't3',
          round: ROUND,
          value: 'fixed',
          detail: '1.2.3-1',
          authentication: signed,
        },
      ],
      [
        debian,
        {
          kind: 'date-request',
          at: 't4',
          round: ROUND,
          date: '2027-01-19T14:00:00.000Z',
          reason: 'freeze',
          authentication: signed,
        },
      ],
    ]);
    const entry = recipientOf(recipients, 'security@debian.example')!;
    expect(entry).toMatchObject({
      address: 'security@debian.example',
      name: 'Debian',
      noticeSent: { at: 't1', round: ROUND },
      confirmed: { at: 't2', round: ROUND },
      status: { value: 'fixed', detail: '1.2.3-1', at: 't3', round: ROUND },
      dateRequests: [{ date: '2027-01-19T14:00:00.000Z', reason: 'freeze' }],
      lastWord: { at: 't4', summary: '/need-date 2027-01-19 freeze', authentication: signed },
    });
    // The other recipient is untouched.
    expect(recipientOf(recipients, fedora.email)).toEqual({
      address: 'secalert@fedora.example',
      name: 'Fedora',
      noticeSent: { at: 't1', round: ROUND },
    });
  });

  it('takes no status or confirmation from unsigned mail: only its last word', () => {
    const recipients = applyRecipientEvent(
      applyRecipientEvent(undefined, debian, { kind: 'notice-sent', at: 't1', round: ROUND }),
      debian,
      {
        kind: 'status',
        at: 't2',
        round: ROUND,
        value: 'not-affected',
        authentication: unsigned,
      },
    );
    const entry = recipientOf(recipients, debian.email)!;
    expect(entry.status).toBeUndefined();
    expect(entry.lastWord).toEqual({
      at: 't2',
      summary: '/status not-affected',
      authentication: unsigned,
    });
  });

  it('keeps a decline or a lapse final: a later /accept does not undo it', () => {
    const invited = applyRecipientEvent(undefined, debian, {
      kind: 'invited',
      at: 't1',
      round: ROUND,
    });
    expect(recipientOf(invited, debian.email)!.consent?.state).toBe('invited');
    const lapsed = applyRecipientEvent(invited, debian, { kind: 'lapsed', at: 't2' });
    const late = applyRecipientEvent(lapsed, debian, {
      kind: 'accepted',
      at: 't3',
      authentication: signed,
    });
    expect(recipientOf(late, debian.email)!.consent).toEqual({ state: 'lapsed', at: 't2' });
    const declined = applyRecipientEvent(invited, debian, {
      kind: 'declined',
      at: 't2',
      authentication: signed,
    });
    const accepted = applyRecipientEvent(declined, debian, {
      kind: 'accepted',
      at: 't3',
      authentication: signed,
    });
    expect(recipientOf(accepted, debian.email)!.consent?.state).toBe('declined');
  });

  it('summarises who was told, who confirmed this round, and who is silent', () => {
    const recipients = applied(toldBothDebianConfirmed);
    const record = caseRecord('SEC-2027-0001', { recipients });
    expect(
      recipientSummaries(record, ROUND).map((s) => [s.name, !!s.confirmedAt, s.silent]),
    ).toEqual([
      ['Debian', true, false],
      ['Fedora', false, true],
    ]);
    // A new date: the notice of the new round went to Debian, whose confirmation was for the old.
    const moved = applied([
      ...toldBothDebianConfirmed,
      [debian, { kind: 'notice-sent', at: 't3', round: NEXT }],
    ]);
    const [d, f] = recipientSummaries(caseRecord('SEC-2027-0001', { recipients: moved }), NEXT);
    expect(d).toMatchObject({ sentAt: 't3', confirmedEarlierRound: true, silent: true });
    expect(d!.confirmedAt).toBeUndefined();
    expect(f).toMatchObject({ silent: false });
    expect(f!.sentAt).toBeUndefined();
  });

  it('gives the signed statuses as statements', () => {
    const recipients = applied([
      [
        debian,
        {
          kind: 'status',
          at: 't1',
          round: ROUND,
          value: 'not-affected',
          detail: 'libfoo2',
          authentication: signed,
        },
      ],
      [
        fedora,
        { kind: 'status', at: 't1', round: ROUND, value: 'affected', authentication: signed },
      ],
    ]);
    expect(distributorStatements(caseRecord('SEC-2027-0001', { recipients }))).toEqual([
      { distributor: 'Debian', status: 'not-affected', detail: 'libfoo2', at: 't1' },
      { distributor: 'Fedora', status: 'affected', at: 't1' },
    ]);
  });

  it('reads a stored case with recipients and refuses one whose recipient has no address', () => {
    const recipients = applyRecipientEvent(undefined, debian, {
      kind: 'notice-sent',
      at: 't1',
      round: ROUND,
    });
    const stored = caseRecord('SEC-2027-0001', { recipients });
    expect(checkStoredCase(stored, 'k').recipients).toEqual(recipients);
    expect(() => checkStoredCase({ ...stored, recipients: [{ name: 'Debian' }] }, 'k')).toThrow(
      /recipients/,
    );
  });
});

describe('choosing the recipients of a case', () => {
  const list = [debian, fedora];

  it('chooses by name or address, in any case, and refuses unknown names with the known ones', () => {
    expect(chooseRecipients(list, ['debian', 'SECALERT@fedora.example'])).toEqual({
      ok: true,
      chosen: [debian, fedora],
    });
    expect(chooseRecipients(list, ['Debian', 'Gentoo'])).toEqual({
      ok: false,
      unknown: ['Gentoo'],
      known: ['Debian', 'Fedora'],
    });
  });

  it('sends to the whole list by default and to the chosen ones once chosen', () => {
    expect(caseRecipients(caseRecord('SEC-2027-0001'), list)).toEqual(list);
    expect(
      caseRecipients(
        caseRecord('SEC-2027-0001', { distributorSelection: storedSelection([fedora]) }),
        list,
      ),
    ).toEqual([fedora]);
  });
});
