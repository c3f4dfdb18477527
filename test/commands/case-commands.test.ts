import fc from 'fast-check';
import { attemptsCommands, parseCommands } from '../../shared/commands/case-commands';

const NOW = new Date('2026-11-25T09:00:00Z');
const parse = (text: string) => parseCommands(text, NOW);

describe('the command grammar', () => {
  it('reads the command block at the start and leaves the rest as the body', () => {
    const parsed = parse(
      '\n/title  Heap overflow in parser \n/severity HIGH\n\nThanks!\n/not-a-command-here',
    );
    expect(parsed).toEqual({
      ok: true,
      commands: [
        {
          line: 2,
          text: '/title  Heap overflow in parser',
          command: { name: 'title', value: 'Heap overflow in parser' },
        },
        { line: 3, text: '/severity HIGH', command: { name: 'severity', value: 'high' } },
      ],
      body: 'Thanks!\n/not-a-command-here',
    });
  });

  it('stops at quoted text: commands quoted from earlier mail do not count', () => {
    expect(parse('> /close invalid\nok')).toEqual({
      ok: true,
      commands: [],
      body: '> /close invalid\nok',
    });
  });

  it.each([
    ['/cve cve-2026-1234', { name: 'cve', value: 'CVE-2026-1234' }],
    ['/disclose 2026-12-10', { name: 'disclose', at: '2026-12-10T00:00:00.000Z' }],
    ['/disclose 2026-12-10T15:00+01:00', { name: 'disclose', at: '2026-12-10T14:00:00.000Z' }],
    [
      '/disclose 2026-12-10 15:00 Europe/Berlin',
      { name: 'disclose', at: '2026-12-10T14:00:00.000Z' },
    ],
    [
      '/close duplicate sec-2026-0001',
      { name: 'close', resolution: 'duplicate', duplicateOf: 'SEC-2026-0001' },
    ],
    ['/close wontfix', { name: 'close', resolution: 'wontfix' }],
    ['/close', { name: 'close', resolution: 'closed' }],
    [
      '/close reporter withdrew it',
      { name: 'close', resolution: 'closed', reason: 'reporter withdrew it' },
    ],
    ['/close fixed in 2.4.2', { name: 'close', resolution: 'fixed', reason: 'in 2.4.2' }],
    [
      '/close out-of-scope examples only',
      { name: 'close', resolution: 'out-of-scope', reason: 'examples only' },
    ],
    [
      '/close duplicate SEC-2026-0001 same crash',
      {
        name: 'close',
        resolution: 'duplicate',
        duplicateOf: 'SEC-2026-0001',
        reason: 'same crash',
      },
    ],
    [
      '/invalid not reproducible in 2.4.1',
      { name: 'invalid', reason: 'not reproducible in 2.4.1' },
    ],
    [
      '/note Asked Bob to check the fuzzer',
      { name: 'note', text: 'Asked Bob to check the fuzzer' },
    ],
    ['/label ~Needs-Info parser', { name: 'label', labels: ['needs-info', 'parser'] }],
    ['/unlabel needs-info', { name: 'unlabel', labels: ['needs-info'] }],
    ['/reply need-poc', { name: 'reply', template: 'need-poc' }],
    ['/reply out-of-scope examples', { name: 'reply', template: 'out-of-scope', rule: 'examples' }],
    ['/urgent', { name: 'urgent' }],
    ['/internal', { name: 'internal' }],
    ['/reopen', { name: 'reopen' }],
    ['/status', { name: 'status' }],
    ['/affected >=1.0, <2.3.1', { name: 'affected', value: '>=1.0, <2.3.1' }],
    [
      '/credit remediation developer Max Example @max',
      {
        name: 'credit',
        value: [{ name: 'Max Example', type: 'remediation_developer', github: 'max' }],
      },
    ],
    [
      '/credit Remediation-Developer Max; analyst Bo',
      {
        name: 'credit',
        value: [
          { name: 'Max', type: 'remediation_developer' },
          { name: 'Bo', type: 'analyst' },
        ],
      },
    ],
    [
      '/credit Alice Example (Example Corp)',
      { name: 'credit', value: [{ name: 'Alice Example (Example Corp)', type: 'finder' }] },
    ],
  ])('parses %s', (line, command) => {
    const parsed = parse(line);
    expect(parsed.ok && parsed.commands[0]?.command).toEqual(command);
  });

  it.each([
    ['/frobnicate', 'unknown command /frobnicate; `npx embargo command --help` lists'],
    ['/sevrity high', 'unknown command /sevrity (did you mean /severity?)'],
    ['/dislcose 2030-01-01', 'unknown command /dislcose (did you mean /disclose?)'],
    ['/severity extreme', 'severity must be one of low, medium, high, critical'],
    ['/cve 12345', 'a CVE id looks like CVE-2026-12345'],
    [
      '/disclose next tuesday',
      '"next tuesday" is not a date in the years 1–9999; use 2026-12-10 (midnight UTC), 2026-12-10T15:00+01:00 (ISO 8601 with a zone) or 2026-12-10 15:00 Europe/Berlin',
    ],
    [
      '/credit remediation dev Max',
      '"remediation dev" is not a credit type; the types are finder,',
    ],
    ['/disclose 2020-01-01', 'is not in the future'],
    // Issue 25: luxon reads expanded years; no calendar or scheduler holds them.
    ['/disclose +275760-09-13', 'is not a date in the years 1–9999'],
    ['/disclose +010000-01-01', 'is not a date in the years 1–9999'],
    ['/disclose 9999-12-31T23:00-05:00', 'is not a date in the years 1–9999'],
    ['/close fixd', '"fixd" is no ending (did you mean /close fixed?)'],
    ['/invalid', '/invalid needs the reason'],
    ['/note', '/note needs the text of the note'],
    ['/label', '/label needs a label'],
    ['/label needs:info', '"needs:info" is not a label'],
    ['/reply', '/reply needs a template name'],
    ['/reply need-poc extra', '/reply takes a template name'],
    ['/close fixed\n/invalid spam', '/close and /invalid each record an ending: give one'],
    ['/invalid spam\n/reopen', '/invalid and /reopen contradict each other'],
    ['/close duplicate', '/close duplicate needs the id of the original case'],
    ['/close fixed SEC-2026-0001', '/close fixed takes no case id'],
    ['/title', '/title needs a value'],
    ['/urgent now', '/urgent takes no arguments'],
    ['/advisory', '/advisory needs the advisory text'],
  ])('refuses %s, saying why', (line, reason) => {
    const parsed = parse(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]?.reason).toContain(reason);
  });

  it('applies nothing when one line of several is wrong, and names that line', () => {
    const parsed = parse('/title Fine\n/severity extreme\n/cve CVE-2026-1');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it('refuses contradictions and repeats', () => {
    expect(parse('/close fixed\n/reopen').ok).toBe(false);
    expect(parse('/title A\n/title B').ok).toBe(false);
  });

  it('tells attempted commands from a path at the start of a mail', () => {
    expect(attemptsCommands('/close invalid')).toBe(true);
    expect(attemptsCommands('\n  /severity high')).toBe(true);
    expect(attemptsCommands('/usr/lib/libfoo.so crashes')).toBe(false);
    expect(attemptsCommands('Hello\n/close invalid')).toBe(false);
  });

  it('never throws, and either applies every command line or reports at least one error (property)', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '/title x',
        '/severity high',
        '/close fixed',
        '/disclose 2030-01-01',
        '/advisory',
        '/urgent',
        '> quoted',
      ),
      fc.string().map((s) => `/${s}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const parsed = parseCommands(text, NOW);
        if (parsed.ok) {
          // Every accepted command came from a line that starts with '/'.
          for (const c of parsed.commands) expect(c.text.startsWith('/')).toBe(true);
        } else {
          expect(parsed.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
