import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defaultConfigFile } from '../../shared/config/embargo-config';
import { EmbargoStack } from '../../infra/aws/embargo-stack';
import { countOf, resourceCounts } from '../../infra/aws/template-resources';

const doc = readFileSync(join(__dirname, '../../docs/costs.md'), 'utf8');

/** The rows of the table after `heading`, as cells. */
function table(heading: string): string[][] {
  const start = doc.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`docs/costs.md has no heading "${heading}"`);
  const rows: string[][] = [];
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows.slice(1); // without the header row
}

const dollars = (cell: string) => Number(/\$([\d.]+)/.exec(cell)?.[1] ?? NaN);
const row = (rows: string[][], name: string) => {
  const found = rows.find((r) => r[0] === name);
  if (!found) throw new Error(`no row "${name}"`);
  return found;
};

/** The columns `Monthly` add up to the stated total, to the cent. */
function expectTotal(rows: string[][]) {
  const items = rows.filter((r) => !r[0]!.startsWith('**'));
  const sum = items.reduce((total, r) => total + dollars(r.at(-1)!), 0);
  expect(dollars(row(rows, '**Total, no free tier**').at(-1)!)).toBeCloseTo(sum, 2);
}

describe('docs/costs.md', () => {
  // The template only: functions unbundled (the CDK CLI's switch), the same resources.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new EmbargoStack(app, 'Embargo-example', {
    config: { ...defaultConfigFile, maintainers: [] },
  });
  const template = Template.fromStack(stack).toJSON();
  const contains = table('## What the stack contains');

  it('counts every resource type of the synthesized stack, as many as it holds', () => {
    const documented = contains.map((r): [string, number] => [
      r[0]!.replace(/`/g, ''),
      Number(r[1]),
    ]);
    const synthesized = resourceCounts(template).filter(([type]) => type !== 'AWS::CDK::Metadata');
    expect(new Map(documented)).toEqual(new Map(synthesized));
  });

  it('prices the idle month on those counts, and adds it up', () => {
    const idle = table('## (a) Idle month');
    expect(Number(row(idle, 'KMS keys')[1])).toBe(countOf(template, 'AWS::KMS::Key'));
    expect(Number(row(idle, 'CloudWatch alarms')[1])).toBe(
      countOf(template, 'AWS::CloudWatch::Alarm'),
    );
    expect(Number(row(idle, 'Secrets Manager secret')[1])).toBe(
      countOf(template, 'AWS::SecretsManager::Secret'),
    );
    expect(dollars(row(idle, 'KMS keys')[3]!)).toBe(countOf(template, 'AWS::KMS::Key') * 1);
    expect(dollars(row(idle, 'CloudWatch alarms')[3]!)).toBeCloseTo(
      countOf(template, 'AWS::CloudWatch::Alarm') * 0.1,
    );
    expectTotal(idle);
  });

  it('prices the busy month on the same counts, and adds it up', () => {
    const busy = table('## (b) A month with 10,000 reports (first month)');
    expect(Number(row(busy, 'KMS keys')[1])).toBe(countOf(template, 'AWS::KMS::Key'));
    expect(Number(row(busy, 'CloudWatch alarms')[1])).toBe(
      countOf(template, 'AWS::CloudWatch::Alarm'),
    );
    expectTotal(busy);
  });

  it("cites AWS's own pages for every price", () => {
    const references = [...doc.matchAll(/^\[[^\]]+\]: (\S+)$/gm)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(5);
    for (const url of references)
      expect(url).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
  });
});
