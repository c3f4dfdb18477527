/** docs/benchmarks.md: its sections in order, re-wrapped and formatted as prettier expects. */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { formatMs } from '../support/bench-support';
import { analyze } from './analysis';
import { mdTable, yes } from './format';
import { headline } from './headline';
import { reflow } from './reflow';
import type { BenchResults } from './results';
import { bareSection } from './sections/bare-section';
import { bundleSection } from './sections/bundle-section';
import { burstSection } from './sections/burst-section';
import { largeSection } from './sections/large-section';
import { machineSection } from './sections/machine-section';
import { missedSection } from './sections/missed-section';
import { profileSection } from './sections/profile-section';
import { floodSection } from './sections/flood-section';
import { schleuderSection } from './sections/schleuder-section';
import { awsHeadline, awsSection } from './sections/aws-section';
import { statsHeadline, statsSection } from './sections/stats-section';
import { disclosureHeadline, disclosureSection } from './sections/disclosure-section';
import { duplicatesHeadline, duplicatesSection } from './sections/duplicates-section';

export function renderDocument(r: BenchResults): string {
  const a = analyze(r);
  const head = [
    ...headline(r, a),
    ...awsHeadline(r, a.dynamoCallsPerReport),
    ...statsHeadline(r),
    ...disclosureHeadline(r),
    ...duplicatesHeadline(r),
  ].map(([m, v, t, ok]) => [m, v, t, ok ? yes(ok === 'met') : '']);
  return [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run-bench.ts); edit the bench, not this file. -->',
    '',
    machineSection(r),
    '',
    `Run it again with \`npm run bench\` (${formatMs(r.durationMs)} for this run; it is not part of \`npm test\`).`,
    '',
    '## Results against the targets',
    '',
    mdTable(['Measure', 'Measured', 'Target', 'Result'], head),
    '',
    missedSection(r, a),
    burstSection(r, a),
    '',
    profileSection(r, a.pipelinePerReportMs),
    '',
    bareSection(r, a),
    '',
    bundleSection(r, a),
    '',
    largeSection(r, a),
    '',
    floodSection(r),
    '',
    schleuderSection(r),
    '',
    awsSection(r),
    '',
    statsSection(r),
    '',
    disclosureSection(r),
    '',
    duplicatesSection(r),
    '',
  ].join('\n');
}

/** Writes the document formatted as `prettier --check` expects it (it is part of `npm test`). */
export async function writeDocument(file: string, r: BenchResults): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(reflow(renderDocument(r)), { ...options, filepath: file }));
}
