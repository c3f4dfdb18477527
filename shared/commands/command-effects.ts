import type { CaseCommand, CommandLine } from './case-commands';
import type { CaseDetails, CaseRecord, CaseStatus, PatchFile } from '../cases/case-record';

export interface CommandEffects {
  fields: Partial<CaseDetails> & { status?: CaseStatus };
  /** `field: old → new` lines, for the confirmation and the history. */
  changes: string[];
  internal: boolean;
  wantsStatus: boolean;
}

const show = (value: unknown) => (value === undefined || value === '' ? '(unset)' : String(value));

/**
 * What a mail's commands change, worked out against the case as it is. Pure: the caller
 * writes the fields and the event together, so a mail's commands apply all or nothing.
 */
export function commandEffects(
  record: CaseRecord,
  commands: CommandLine[],
  body: string,
  patches: PatchFile[],
): CommandEffects {
  const fields: CommandEffects['fields'] = {};
  const changes: string[] = [];
  const set = <K extends keyof CommandEffects['fields']>(
    key: K,
    value: CommandEffects['fields'][K],
    label = String(key),
  ) => {
    const before =
      key in fields ? fields[key] : (record as CaseDetails & { status?: CaseStatus })[key];
    if (JSON.stringify(before) === JSON.stringify(value)) return;
    fields[key] = value;
    changes.push(
      `${label}: ${show(Array.isArray(before) ? before.length + ' patches' : before)} → ${show(Array.isArray(value) ? value.length + ' patches' : value)}`,
    );
  };
  const apply: { [N in CaseCommand['name']]: (c: Extract<CaseCommand, { name: N }>) => void } = {
    status: () => {},
    internal: () => {},
    ack: () => set('ackHeld', undefined, 'acknowledgment held'),
    title: (c) => set('title', c.value),
    severity: (c) => set('severity', c.value),
    affected: (c) => set('affected', c.value),
    fixed: (c) => set('fixed', c.value),
    cve: (c) => set('cve', c.value),
    credit: (c) => set('credit', c.value),
    advisory: () => {
      set('advisory', body);
      if (patches.length) set('patches', patches);
    },
    disclose: (c) => set('disclosureAt', c.at, 'disclosure date'),
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
