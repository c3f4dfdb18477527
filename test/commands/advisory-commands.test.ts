import { parseCommands } from '../../shared/commands/case-commands';
import { commandEffects } from '../../shared/commands/command-effects';
import type { CaseRecord } from '../../shared/cases/case-record';

const NOW = new Date('2026-11-25T09:00:00Z');
const base = { id: 'SEC-2026-0001', status: 'triaged', history: [] } as unknown as CaseRecord;
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

function parsed(text: string) {
  const result = parseCommands(text, NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.commands.map((c) => c.command);
}

function refusal(text: string): string {
  const result = parseCommands(text, NOW);
  if (result.ok) throw new Error(`accepted: ${text}`);
  return result.errors.map((e) => e.reason).join('; ');
}

function effects(text: string, record: CaseRecord = base) {
  const result = parseCommands(text, NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return commandEffects(record, result.commands, result.body, []);
}

describe('/cvss', () => {
  it('scores CVSS 3.1 and 4.0 vectors with the calculator', () => {
    expect(parsed(`/cvss ${V31}`)).toEqual([
      { name: 'cvss', value: { version: '3.1', vector: V31, score: 9.8, rating: 'critical' } },
    ]);
    expect(parsed(`/cvss ${V40}`)).toEqual([
      { name: 'cvss', value: { version: '4.0', vector: V40, score: 9.3, rating: 'critical' } },
    ]);
  });

  it.each([
    ['/cvss', '/cvss needs a vector'],
    ['/cvss AV:N/AC:L', 'a CVSS vector starts with CVSS:3.1/ or CVSS:4.0/'],
    ['/cvss CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.0 is not supported'],
    ['/cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'lacks the base metric(s) A'],
    [
      '/cvss CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'metric AV is given more than once',
    ],
    ['/cvss CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'not a valid CVSS 3.1 vector'],
    ['/cvss CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'lacks the base metric(s) AT, VC'],
    ['/cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H', 'leaves a base metric undefined'],
    ['/cvss CVSS:3.1/AV:N//AC:L', 'is not a metric'],
  ])('refuses %s with the reason', (line, reason) => {
    expect(refusal(line)).toContain(reason);
  });

  it('sets the vector and the severity its score rates', () => {
    const result = effects(`/cvss ${V31}`, { ...base, severity: 'medium' });
    expect(result.fields).toEqual({
      cvss: { version: '3.1', vector: V31, score: 9.8, rating: 'critical' },
      severity: 'critical',
    });
    expect(result.changes).toEqual([
      `CVSS: (unset) → 9.8 critical (${V31})`,
      'severity: medium → critical',
    ]);
  });
});

describe('/cwe', () => {
  it('takes one or more ids, normalized and without repeats', () => {
    expect(parsed('/cwe CWE-125, cwe-787 125')).toEqual([
      { name: 'cwe', value: ['CWE-125', 'CWE-787'] },
    ]);
    expect(effects('/cwe CWE-125').changes).toEqual(['CWE: (unset) → CWE-125']);
  });

  it.each([
    ['/cwe', 'needs at least one id'],
    ['/cwe buffer overflow', '"buffer" is not a CWE id'],
    ['/cwe CWE-0', '"CWE-0" is not a CWE id'],
  ])('refuses %s', (line, reason) => {
    expect(refusal(line)).toContain(reason);
  });
});

describe('/vex', () => {
  it('records versions that are not affected, with the justification', () => {
    expect(parsed('/vex not-affected < 1.0 vulnerable-code-not-present')).toEqual([
      {
        name: 'vex',
        value: { versions: '< 1.0', justification: 'vulnerable_code_not_present' },
      },
    ]);
    expect(effects('/vex not-affected <1.0 component_not_present').changes).toEqual([
      'not affected: (unset) → <1.0 (component not present)',
    ]);
  });

  it('adds to the statements already recorded; the same versions again replace theirs', () => {
    const record = {
      ...base,
      notAffected: [{ versions: '<1.0', justification: 'component_not_present' }],
    } as CaseRecord;
    expect(
      effects('/vex not-affected 0.9.0 - 0.9.4 inline_mitigations_already_exist', record).fields
        .notAffected,
    ).toEqual([
      { versions: '<1.0', justification: 'component_not_present' },
      { versions: '0.9.0 - 0.9.4', justification: 'inline_mitigations_already_exist' },
    ]);
    expect(
      effects('/vex not-affected <1.0 vulnerable_code_not_present', record).fields.notAffected,
    ).toEqual([{ versions: '<1.0', justification: 'vulnerable_code_not_present' }]);
  });

  it.each([
    ['/vex', '/vex not-affected <versions> <justification>'],
    ['/vex affected <1.0 component_not_present', '/vex not-affected <versions>'],
    ['/vex not-affected <1.0 not_exploitable', '"not_exploitable" is not a VEX justification'],
    ['/vex not-affected the old ones component_not_present', 'not a version range'],
  ])('refuses %s', (line, reason) => {
    expect(refusal(line)).toContain(reason);
  });
});

describe('/credit', () => {
  it('reads a type, a name and a GitHub login, several separated by ";"', () => {
    expect(
      parsed('/credit reporter Alice Example (Example Corp) @alice-x; remediation-developer Bob'),
    ).toEqual([
      {
        name: 'credit',
        value: [
          { name: 'Alice Example (Example Corp)', type: 'reporter', github: 'alice-x' },
          { name: 'Bob', type: 'remediation_developer' },
        ],
      },
    ]);
  });

  it('defaults to finder, and takes a lone word as a name even when it is a type', () => {
    expect(parsed('/credit Analyst')).toEqual([
      { name: 'credit', value: [{ name: 'Analyst', type: 'finder' }] },
    ]);
  });

  it.each([
    ['/credit', '/credit needs a name'],
    ['/credit finder Alice @-bad-', '"@-bad-" is not a GitHub login'],
    ['/credit tool @scanner', 'a credit needs a name'],
  ])('refuses %s', (line, reason) => {
    expect(refusal(line)).toContain(reason);
  });

  it('replaces the plain name older cases stored, and says so', () => {
    const result = effects('/credit analyst Carol', { ...base, credit: 'Alice' });
    expect(result.fields).toEqual({
      credits: [{ name: 'Carol', type: 'analyst' }],
      credit: undefined,
    });
    expect(result.changes).toEqual(['credit: Alice (finder) → Carol (analyst)']);
  });
});

describe('/ghsa and /cve request', () => {
  it.each([
    ['/ghsa', { name: 'ghsa' }],
    ['/ghsa fork', { name: 'ghsa-fork' }],
    ['/ghsa invite @alice-example', { name: 'ghsa-invite', login: 'alice-example' }],
    ['/cve request', { name: 'cve-request' }],
  ])('parses %s', (line, command) => {
    expect(parsed(line)).toEqual([command]);
  });

  it('takes /ghsa, a fork and an invitation in one mail', () => {
    expect(parsed('/ghsa\n/ghsa fork\n/ghsa invite bob').map((c) => c.name)).toEqual([
      'ghsa',
      'ghsa-fork',
      'ghsa-invite',
    ]);
  });

  it.each([
    ['/ghsa publish', '/ghsa takes nothing, "fork", or "invite <github login>"'],
    ['/ghsa invite', '/ghsa takes nothing'],
    ['/ghsa invite -bad-', '"-bad-" is not a GitHub login'],
  ])('refuses %s', (line, reason) => {
    expect(refusal(line)).toContain(reason);
  });

  it('changes no field by itself (GitHub answers change the case)', () => {
    expect(effects('/ghsa\n/cve request').changes).toEqual([]);
  });
});
