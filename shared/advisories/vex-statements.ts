/**
 * Statements that some versions are not affected (`/vex not-affected <versions> <justification>`),
 * for the VEX records (CSAF `known_not_affected`, OpenVEX `not_affected`). Pure.
 */

import { parseAffectedVersions } from './version-ranges';

/** The justifications OpenVEX 0.2.0 defines; CSAF 2.0's `flags[].label` has the same five. */
export const vexJustifications = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof vexJustifications)[number];

export interface NotAffectedStatement {
  /** The versions as maintainers typed them, read like `/affected` ("<1.0", "0.9.0 - 0.9.4"). */
  versions: string;
  justification: VexJustification;
}

/**
 * A distributor's signed status about its own package of the project (`/status`, #27): a
 * product of that distributor in CSAF, never one of the project's. Who may be named is the
 * caller's decision (shared/notices/advisory-records.ts).
 */
export interface DistributorVexStatement {
  /** The distributor's name as the private list has it. */
  distributor: string;
  status: 'affected' | 'not-affected' | 'fixed';
  /** The version or package the distributor named, as written. */
  detail?: string;
}

export type VexParse =
  { ok: true; statement: NotAffectedStatement } | { ok: false; reason: string };

const USAGE = `/vex not-affected <versions> <justification>; justifications: ${vexJustifications.join(', ')}`;

/** Reads `/vex` arguments: `not-affected <versions> <justification>`. */
export function parseVexCommand(text: string): VexParse {
  const words = text.split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() !== 'not-affected' || words.length < 3) {
    return { ok: false, reason: USAGE };
  }
  const justification = words[words.length - 1]!.toLowerCase().replace(/-/g, '_');
  if (!(vexJustifications as readonly string[]).includes(justification)) {
    return {
      ok: false,
      reason: `"${words[words.length - 1]}" is not a VEX justification; use one of ${vexJustifications.join(', ')}`,
    };
  }
  const versions = words.slice(1, -1).join(' ');
  if (versions.length > 500)
    return { ok: false, reason: '/vex versions are longer than 500 characters' };
  if (!parseAffectedVersions(versions)) {
    return {
      ok: false,
      reason: `"${versions}" is not a version range Embargo can read; write it like /affected, e.g. "<1.0" or "0.9.0 - 0.9.4"`,
    };
  }
  return { ok: true, statement: { versions, justification: justification as VexJustification } };
}

/** "<1.0 (vulnerable code not in execute path)", for mail and summaries. */
export function notAffectedText(statement: NotAffectedStatement): string {
  return `${statement.versions} (${statement.justification.replace(/_/g, ' ')})`;
}
