import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { awsIntakeServices } from '../../functions/aws-runtime';
import { handler as intakeHandler } from '../../functions/intake';
import { benchConfig, fixture } from '../../bench/support/bench-support';
import { S3RawMailStore } from '../../shared/adapters/s3/s3-raw-mail-store';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { RawMailMissingError, S3AccessDeniedError } from '../../shared/errors';
import { awsEvent, startAwsTier, TIER, type AwsTier } from '../support/aws-tier';
import { motoSkipReason } from '../support/moto-server';

/**
 * A receipt event whose raw message is not in S3 (expired, deleted, or an event SES did not
 * make). In AWS, S3 answers 404 NoSuchKey only to a caller with s3:ListBucket, which the stack
 * grants intake (test/infra/embargo-stack.test.ts); moto answers 404 as s3rver does.
 */
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

const config: EmbargoConfig = { ...benchConfig(), securityAddress: 'johndoe@example.com' };
const event = awsEvent('ses-receipt-lambda-event.json') as {
  Records: { ses: { mail: { messageId: string }; receipt: { action: { functionArn: string } } } }[];
};
const context = {
  getRemainingTimeInMillis: () => 60_000,
  invokedFunctionArn: event.Records[0]!.ses.receipt.action.functionArn,
};

describeInAws('raw mail in S3 (moto_server)', () => {
  let tier: AwsTier;
  beforeAll(async () => {
    tier = await startAwsTier(config, fixture('project-secret.asc'));
  });
  afterAll(() => tier?.stop());

  it('records a delivery whose raw mail is missing as quarantined on the first attempt', async () => {
    awsIntakeServices();
    const outcome = { kind: 'quarantined', reason: 'raw-mail-missing' };
    await expect(intakeHandler(event, context)).resolves.toEqual([outcome]);
    const messageId = event.Records[0]!.ses.mail.messageId;
    expect(await awsIntakeServices().ledger.get(messageId)).toMatchObject({ outcome });
    // Lambda's redelivery of the same event finds the outcome.
    await expect(intakeHandler(event, context)).resolves.toEqual([outcome]);
  });

  it('tells a missing key (404) from a refused read (403), which stays a retried failure', async () => {
    const client = new S3Client({});
    const store = new S3RawMailStore(client, TIER.bucket, TIER.rawMailPrefix);
    await expect(store.get('never-stored')).rejects.toBeInstanceOf(RawMailMissingError);

    // S3's 403, which moto does not produce without IAM enforcement: S3's error as the SDK
    // makes it, answered for the request instead of moto's.
    client.middlewareStack.add(
      () => () => {
        throw new S3ServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'Access Denied',
        });
      },
      { step: 'deserialize', name: 'answerAccessDenied' },
    );
    const refused = store.get('never-stored');
    await expect(refused).rejects.toBeInstanceOf(S3AccessDeniedError);
    await expect(refused).rejects.toThrow(/s3:ListBucket/);
  });
});
