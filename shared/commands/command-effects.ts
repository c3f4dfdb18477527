import type { CaseCommand, CommandLine } from './case-commands';
import { creditText } from '../advisories/advisory-credits';
import { cvssText } from '../advisories/cvss-score';
import { notAffectedText, type NotAffectedStatement } from '../advisories/vex-statements';
import type {
  CaseDetails,
  CaseRecord,
  CaseStatus,
  PatchFile,
  ReporterKey,
} from '../cases/case-record';

export interface CommandEffects {
  fields: Partial<CaseDetails> & { status?: CaseStatus; reporterKey?: ReporterKey };
  /** `field: old → new` lines, for the confirmation and the history. */
  changes: string[];
  internal: boolean;
  wantsStatus: boolean;
}

const show = (value: unknown) => (value === undefined || value === '' ? '(unset)' : String(value));
const patchCount = (value: unknown) =>
  Array.isArray(value) ? `${value.length} patches` : show(value);

function caseCreditsText(record: CaseRecord): string {
  return record.credit ? creditText({ name: record.credit, type: 'finder' }) : '(unset)';
}

/**
 * What a mail's commands change, worked out against the case as it is. Pure: the caller
 * writes the fields and the event together, so a mail's commands apply all or nothing.
 */
export function commandEffects(
  record: CaseRecord,
  commands: CommandLine[],
  body: string,
  patches: PatchFile[],
  /** The key `/reporter-key` sets: attached to the maintainer's signed mail. */
  reporterKey?: ReporterKey,
): CommandEffects {
  const fields: CommandEffects['fields'] = {};
  const changes: string[] = [];
  const set = <K extends keyof CommandEffects['fields']>(
    key: K,
    value: CommandEffects['fields'][K],
    label = String(key),
    format: (value: unknown) => string = patchCount,
  ) => {
    const before = key in fields ? fields[key] : (record as CommandEffects['fields'])[key];
    if (JSON.stringify(before) === JSON.stringify(value)) return;
    fields[key] = value;
    changes.push(`${label}: ${format(before)} → ${format(value)}`);
  };
  const apply: { [N in CaseCommand['name']]: (c: Extract<CaseCommand, { name: N }>) => void } = {
    status: () => {},
    internal: () => {},
    'reporter-key': () => {
      if (reporterKey)
        set('reporterKey', reporterKey, 'reporter key', (v) =>
          v ? (v as ReporterKey).fingerprint : '(none)',
        );
    },
    // GitHub requests change the case once GitHub answers (shared/github-advisory).
    ghsa: () => {},
    'ghsa-fork': () => {},
    'ghsa-invite': () => {},
    'cve-request': () => {},
    ack: () => set('ackHeld', undefined, 'acknowledgment held'),
    title: (c) => set('title', c.value),
    severity: (c) => set('severity', c.value),
    affected: (c) => set('affected', c.value),
    fixed: (c) => set('fixed', c.value),
    cve: (c) => set('cve', c.value),
    cvss: (c) => {
      set('cvss', c.value, 'CVSS', (v) => (v ? cvssText(v as typeof c.value) : show(v)));
      if (c.value.rating !== 'none') set('severity', c.value.rating);
    },
    cwe: (c) => set('cwes', c.value, 'CWE', (v) => (Array.isArray(v) ? v.join(', ') : show(v))),
    credit: (c) => {
      const before = caseCreditsText(record);
      set('credits', c.value, 'credit', (v) =>
        Array.isArray(v) ? v.map(creditText).join('; ') : before,
      );
      // The typed credits replace the plain name older cases stored.
      if (record.credit !== undefined) fields.credit = undefined;
    },
    // Statements add up (one per range); the same range again replaces its justification.
    vex: (c) => {
      const current = (fields.notAffected ?? record.notAffected ?? []).filter(
        (s) => s.versions !== c.value.versions,
      );
      set('notAffected', [...current, c.value], 'not affected', (v) =>
        Array.isArray(v) && v.length > 0
          ? (v as NotAffectedStatement[]).map(notAffectedText).join('; ')
          : show(undefined),
      );
    },
    advisory: () => {
      set('advisory', body);
      if (patches.length) set('patches', patches);
    },
    disclose: (c) => {
      const before = fields.disclosureAt ?? record.disclosureAt;
      set('disclosureAt', c.at, 'disclosure date');
      // Counted, not shown: it names the round of notices this date gets (notices/notice-round.ts).
      if (before !== c.at) fields.dateChanges = (record.dateChanges ?? 0) + 1;
    },
    urgent: () => set('urgent', true),
    exploit: (c) => set('exploitHeld', c.held, 'exploits held back'),
    close: (c) => {
      set('status', 'closed');
      set('resolution', c.resolution);
      if (c.duplicateOf) set('duplicateOf', c.duplicateOf, 'duplicate of');
    },
    reopen: () => {
      set('status', record.disclosedAt ? 'disclosed' : 'triaged');
      set('resolution', undefined);
    },
  };
  for (const { command } of commands) (apply[command.name] as (c: CaseCommand) => void)(command);
  const closing = commands.some((c) => c.command.name === 'close');
  if (changes.length && record.status === 'new' && !closing) set('status', 'triaged');
  return {
    fields,
    changes,
    internal: commands.some((c) => c.command.name === 'internal'),
    wantsStatus: commands.some((c) => c.command.name === 'status'),
  };
}
