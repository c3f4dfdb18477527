import type { CaseRecord } from '../cases/case-record';
import type { RecipientRef } from './recipient-events';

export type Selection =
  { ok: true; chosen: RecipientRef[] } | { ok: false; unknown: string[]; known: string[] };

const key = (text: string) => text.trim().toLowerCase();

/** The word `/distributors all` uses to go back to the whole list. */
export const WHOLE_LIST = 'all';

/**
 * Chooses a case's recipients from the list by name or address (either, any case). Every name
 * must be on the list: one unknown name refuses the whole choice, with the names that are.
 */
export function chooseRecipients(
  list: readonly RecipientRef[],
  names: readonly string[],
): Selection {
  const chosen: RecipientRef[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const found = list.find((d) => key(d.name) === key(name) || key(d.email) === key(name));
    if (!found) unknown.push(name);
    else if (!chosen.includes(found)) chosen.push(found);
  }
  return unknown.length
    ? { ok: false, unknown, known: list.map((d) => d.name).sort((a, b) => a.localeCompare(b)) }
    : { ok: true, chosen };
}

/** How a choice is stored on the case (`distributorSelection`). */
export function storedSelection(chosen: readonly RecipientRef[]) {
  return chosen.map((d) => ({ address: d.email.toLowerCase(), name: d.name }));
}

/** The distributors a case goes to: those `/distributors` chose, or the whole list. */
export function caseRecipients<T extends RecipientRef>(
  record: CaseRecord,
  list: readonly T[],
): T[] {
  const selection = record.distributorSelection;
  if (!selection) return [...list];
  return list.filter((d) => selection.some((s) => s.address === d.email.toLowerCase()));
}
