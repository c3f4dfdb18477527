import { renderReport, stdoutStyle, wrap } from '../../../infra/cli/doctor/doctor-report';
import type { CheckResult } from '../../../infra/cli/doctor/check-result';

const results: CheckResult[] = [
  { title: 'Region receives mail', status: 'pass', summary: 'SES receives email in eu-west-1.' },
  {
    title: 'Receipt rule set',
    status: 'fail',
    summary: 'The active rule set is main-rules, not embargo-example.',
    action:
      "Activating embargo-example would deactivate main-rules and every domain it serves would stop receiving mail: deploy with -c existingRuleSet=main-rules instead, which adds Embargo's rule to it (docs/deploy.md step 5).",
  },
  { title: 'Project key', status: 'skip', summary: 'No project key secret to read.' },
  {
    title: 'SES account',
    status: 'warn',
    summary: 'In the sandbox.',
    action: 'Request production access.',
  },
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

test('fits 80 columns, says what to do under each problem, and ends with a tally', () => {
  const text = renderReport('Embargo doctor: example in eu-west-1', results, {
    color: false,
    width: 80,
  });
  for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  expect(text).toMatch(/^FAIL {3}Receipt rule set$/m);
  expect(text).toMatch(/^ {7}To do: Activating embargo-example/m);
  expect(text.split('\n').at(-1)).toBe('1 failed, 1 to look at, 1 ok, 1 not checked.');
  expect(text).not.toMatch(ANSI);
});

test('narrows to a narrower terminal', () => {
  const text = renderReport('Embargo doctor', results, { color: false, width: 50 });
  for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
});

test('colours only the status words, and only when asked', () => {
  const text = renderReport('Embargo doctor', results, { color: true, width: 80 });
  expect(text).toMatch(ANSI);
  // eslint-disable-next-line no-control-regex
  const painted = /^\u001b\[\d+m(ok|FAIL|skip|warn) *\u001b\[\d+m /;
  for (const line of text.split('\n').filter((l) => ANSI.test(l))) expect(line).toMatch(painted);
});

test('shows escape sequences in reported text instead of sending them to the terminal', () => {
  const text = renderReport(
    'x',
    [{ title: 'MX record', status: 'fail', summary: 'found \u001b[31mevil', action: 'fix' }],
    {
      color: false,
      width: 80,
    },
  );
  expect(text).not.toMatch(ANSI);
  expect(text).toContain('\\u001b[31mevil');
});

test.each([
  ['a terminal', { isTTY: true, columns: 120 }, {}, { color: true, width: 80 }],
  ['a narrow terminal', { isTTY: true, columns: 60 }, {}, { color: true, width: 60 }],
  [
    'a terminal with NO_COLOR',
    { isTTY: true, columns: 100 },
    { NO_COLOR: '1' },
    { color: false, width: 80 },
  ],
  ['a dumb terminal', { isTTY: true, columns: 100 }, { TERM: 'dumb' }, { color: false, width: 80 }],
  ['a pipe', { isTTY: false }, {}, { color: false, width: 80 }],
  ['a pipe with FORCE_COLOR', { isTTY: false }, { FORCE_COLOR: '1' }, { color: true, width: 80 }],
  [
    'NO_COLOR set but empty',
    { isTTY: true, columns: 80 },
    { NO_COLOR: '' },
    { color: true, width: 80 },
  ],
])('style for %s', (_label, stream, env, expected) => {
  expect(stdoutStyle(stream as never, env)).toEqual(expected);
});

test('keeps a word longer than the width whole (an ARN stays copyable)', () => {
  const arn = `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${'x'.repeat(60)}`;
  expect(wrap(`the secret ${arn} is empty`, 40)).toEqual(['the secret', arn, 'is empty']);
});
