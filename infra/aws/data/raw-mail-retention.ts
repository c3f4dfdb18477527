import { Duration, type aws_s3 as s3 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DeploySettingsError } from '../preflight/deploy-settings';

export interface RawMailRetentionPrefixes {
  /** Where SES stores raw messages. */
  readonly rawMailPrefix: string;
  /** Attachments too large to mail, kept decrypted: copies of what the raw mail holds. */
  readonly keptAttachmentsPrefix: string;
}

/**
 * `-c rawMailRetentionDays=N` expires raw mail (and its old versions) N days after it arrived;
 * without it, raw mail is kept, since it is the evidence behind every case. Read from the
 * context of `scope` (the stack).
 */
export function rawMailRetentionRules(
  scope: Construct,
  prefixes: RawMailRetentionPrefixes,
): s3.LifecycleRule[] | undefined {
  const value: unknown = scope.node.tryGetContext('rawMailRetentionDays');
  if (value === undefined || value === '') return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 30) {
    throw new DeploySettingsError(
      `The rawMailRetentionDays context value must be a whole number of days, at least 30, got ${JSON.stringify(value)}.`,
      'Give it as in this example: -c rawMailRetentionDays=730',
    );
  }
  return [
    {
      id: 'expire-raw-mail',
      prefix: prefixes.rawMailPrefix,
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(days),
    },
    // The kept attachments go with the raw mail they were copied from.
    {
      id: 'expire-kept-attachments',
      prefix: prefixes.keptAttachmentsPrefix,
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(days),
    },
  ];
}
