import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ensureCaseTable,
  localDynamoClient,
  startLocalDynamo,
} from '../../infra/local/stores/local-dynamodb';
import { localS3Client, startLocalS3 } from '../../infra/local/stores/local-s3';
import { localResources } from '../../infra/local/local-settings';
import { S3RawMailStore } from '../../shared/adapters/s3/s3-raw-mail-store';
import { buildSesReceiptEvent } from '../../shared/events/ses-receipt-event';
import { benchConfig, fixture, SECURITY_ADDRESS } from '../support/bench-support';
import { bundleFunction } from './bundles';
import { largeEncryptedReport, largeReport, projectPublicKey } from '../support/report-messages';

export interface IntakeLambdaResult {
  attachmentBytes: number;
  /** PGP/MIME-encrypted to the project key, or plain. */
  encrypted: boolean;
  messageBytes: number;
  bundleBytes: number;
  /** VmHWM once the bundle is loaded (the Lambda's init phase). */
  peakAfterInit: number;
  /** VmHWM after the handler returned. */
  peakAfterHandler: number;
  handlerMs: number;
  outcome: unknown;
  /** Recipients of the mails the function handed to the SES stand-in, in order. */
  sentTo: string[];
  /** Bytes of the largest mail it handed over. */
  largestMailBytes: number;
}

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:embargo-project-key';

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Stands in for the two AWS services the emulators do not cover: Secrets Manager (the project
 * key) and SES v2 SendEmail (records who would have been sent what).
 */
async function startAwsStandIn(): Promise<{
  endpoint: string;
  sent: { to: string; bytes: number }[];
  server: Server;
}> {
  const sent: { to: string; bytes: number }[] = [];
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      if (req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue') {
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify({
            ARN: SECRET_ARN,
            Name: 'embargo-project-key',
            SecretString: fixture('project-secret.asc'),
          }),
        );
        return;
      }
      if (req.url?.startsWith('/v2/email/outbound-emails')) {
        const request = JSON.parse(text) as {
          Destination: { ToAddresses: string[] };
          Content: { Raw: { Data: string } };
        };
        sent.push({
          to: request.Destination.ToAddresses[0] ?? '',
          bytes: Buffer.byteLength(request.Content.Raw.Data, 'base64'),
        });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ MessageId: `bench-${sent.length}` }));
        return;
      }
      res.statusCode = 400;
      res.end('{}');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, sent, server };
}

/** Loads the bundle in a fresh process, runs the handler on one event, reports VmHWM. */
const RUNNER = `
const { readFileSync } = require('node:fs');
const hwm = () => Number(/^VmHWM:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const { handler } = require(process.env.BENCH_BUNDLE);
const peakAfterInit = hwm();
const started = performance.now();
handler(JSON.parse(process.env.BENCH_EVENT)).then(
  (outcome) => {
    process.stdout.write('\\nBENCH_RESULT ' + JSON.stringify({ peakAfterInit, peakAfterHandler: hwm(), handlerMs: performance.now() - started, outcome }));
    process.exit(0);
  },
  (err) => { console.error(err); process.exit(1); },
);
`;

/**
 * The intake function as a Lambda container runs it: the bundle the stack deploys
 * (bench/measurements/bundles.ts), loaded by plain Node with the stack's environment and
 * NODE_OPTIONS, and invoked once with the SES event for one report with an `attachmentBytes`
 * attachment. The services it calls run in this process (dynalite, s3rver, the stand-in above),
 * so the child's high-water mark is the function's own, as Lambda's memory limit counts it.
 */
export async function runIntakeLambda(
  attachmentBytes: number,
  step: (what: string) => void,
  options: { encrypted?: boolean } = {},
): Promise<IntakeLambdaResult> {
  const encrypted = options.encrypted ?? false;
  const root = resolve(__dirname, '..', '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-bench-lambda-'));
  const config = benchConfig();
  step('bundling functions/intake.ts as the stack does');
  const bundle = await bundleFunction(root, 'intake', join(dataDir, 'bundle'), config);
  const dynamo = await startLocalDynamo(dataDir);
  const s3 = await startLocalS3(dataDir);
  const aws = await startAwsStandIn();
  try {
    await ensureCaseTable(localDynamoClient(dynamo.endpoint));
    step('storing the report as SES would');
    const report = encrypted
      ? await largeEncryptedReport(
          `lambda${process.pid}`,
          attachmentBytes,
          await projectPublicKey(fixture('project-public.asc')),
        )
      : largeReport(`lambda${process.pid}`, attachmentBytes);
    const messageId = `bench-large-${process.pid}`;
    await new S3RawMailStore(
      localS3Client(s3.endpoint),
      localResources.rawMailBucket,
      localResources.rawMailPrefix,
    ).put(messageId, report.raw);
    const event = buildSesReceiptEvent({
      messageId,
      receivedAt: new Date(),
      envelopeFrom: report.from,
      recipients: [SECURITY_ADDRESS],
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:intake',
    });
    step('running the intake bundle in a fresh node process');
    const output = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, ['-e', RUNNER], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '--enable-source-maps',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
          AWS_ENDPOINT_URL_SESV2: aws.endpoint,
          EMBARGO_TABLE_NAME: localResources.tableName,
          EMBARGO_RAW_MAIL_BUCKET: localResources.rawMailBucket,
          EMBARGO_RAW_MAIL_PREFIX: localResources.rawMailPrefix,
          EMBARGO_CASE_FILES_PREFIX: localResources.caseFilesPrefix,
          EMBARGO_PROJECT_KEY_SECRET_ARN: SECRET_ARN,
          EMBARGO_SCHEDULE_GROUP: 'embargo-bench',
          EMBARGO_NOTICES_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:notices',
          EMBARGO_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
          EMBARGO_SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
          EMBARGO_SES_CONFIGURATION_SET: 'embargo-bench',
          BENCH_BUNDLE: bundle.file,
          BENCH_EVENT: JSON.stringify(event),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) =>
        code === 0
          ? done(stdout)
          : fail(new Error(`the intake bundle failed (exit ${code}): ${stderr.slice(-2000)}`)),
      );
    });
    // The function logs JSON lines to stdout too; the runner's line is marked.
    const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`the intake bundle printed no result: ${output.slice(-2000)}`);
    const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as Pick<
      IntakeLambdaResult,
      'peakAfterInit' | 'peakAfterHandler' | 'handlerMs' | 'outcome'
    >;
    return {
      ...result,
      attachmentBytes,
      encrypted,
      messageBytes: report.raw.length,
      bundleBytes: bundle.bytes,
      sentTo: aws.sent.map((s) => s.to),
      largestMailBytes: Math.max(0, ...aws.sent.map((s) => s.bytes)),
    };
  } finally {
    aws.server.close();
    await s3.close();
    await dynamo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
