import type { BenchResults } from '../results';
import { plainYes } from '../format';

/** The aim of issue #24: what the reporter waits for, and the whole report, in AWS requests. */
export const AWS_TARGETS = { beforeAck: 6, dynamoTotalBefore24: 17 };

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const byService = (counts: Record<string, number>) => {
  const services = new Map<string, number>();
  for (const [request, n] of Object.entries(counts)) {
    const service = request.split(' ')[0]!;
    services.set(service, (services.get(service) ?? 0) + n);
  }
  return [...services].map(([s, n]) => `${s} ${n}`).join(', ');
};
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([request, n]) => `${request} ×${n}`)
    .join(', ');

export function awsHeadline(
  r: Pick<BenchResults, 'awsRequests'>,
  localDynamoCallsPerReport?: number,
): [string, string, string, string][] {
  const x = r.awsRequests;
  if (!x) return [];
  if (x.skipped)
    return [['AWS requests per new report (moto_server)', `not measured: ${x.reason}`, '', '']];
  const dynamo = x.total['DynamoDB UpdateItem'] ?? 0;
  const dynamoTotal = sum(
    Object.fromEntries(Object.entries(x.total).filter(([k]) => k.startsWith('DynamoDB'))),
  );
  const local =
    localDynamoCallsPerReport === undefined
      ? ''
      : `; local mode: ${localDynamoCallsPerReport.toFixed(1)} DynamoDB calls`;
  return [
    [
      'AWS requests per new report before its acknowledgment is handed to SES (moto_server)',
      `${sum(x.beforeAck)} (${byService(x.beforeAck)})`,
      `≤ ${AWS_TARGETS.beforeAck}`,
      plainYes(sum(x.beforeAck) <= AWS_TARGETS.beforeAck),
    ],
    [
      'AWS requests per new report in total (moto_server)',
      `${sum(x.total)} (${byService(x.total)}; ${dynamo} DynamoDB UpdateItem)${local}`,
      `DynamoDB < ${AWS_TARGETS.dynamoTotalBefore24} (before #24)`,
      plainYes(dynamoTotal < AWS_TARGETS.dynamoTotalBefore24),
    ],
  ];
}

export function awsSection(r: BenchResults): string {
  const head = '## 7. What a report costs in AWS requests (#24)';
  const x = r.awsRequests;
  if (!x) return `${head}\n\nNot measured in this run.`;
  if (x.skipped)
    return [
      head,
      '',
      `Skipped: ${x.reason}. With moto installed (\`pip install "moto[server]"\`), run`,
      '`npm run bench -- --only aws`.',
    ].join('\n');
  return [
    head,
    '',
    'The AWS composition (functions/aws-runtime.ts) against moto_server, invoked with the receipt',
    "event of the Lambda developer guide, a warm container (the project key already read), the bench's",
    'three maintainers: each request counted by service and operation with SDK middleware (retries count).',
    '',
    `- Before the acknowledgment is handed to SES: ${list(x.beforeAck)}.`,
    `- In total: ${list(x.total)}.`,
    `- The same event delivered again (at-least-once): ${list(x.redelivered)}.`,
  ].join('\n');
}
