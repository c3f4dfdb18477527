import type { aws_s3 as s3, aws_ses as ses } from 'aws-cdk-lib';
import { InternalError } from '../../../shared/errors';

export interface SesS3DeliveryProps {
  /** The bucket SES writes raw mail to. Its policy must already allow SES to put objects. */
  readonly bucket: s3.Bucket;
  /** Key prefix for stored messages; the object key is `<prefix><SES message id>`. */
  readonly objectKeyPrefix: string;
}

/**
 * The SES "deliver to S3" receipt action, without the side effects of `aws_ses_actions.S3`.
 *
 * The stock action adds its own bucket policy statement (SourceAccount only), which would make
 * the tighter statement the stack writes (SourceAccount and SourceArn of the rule) pointless,
 * since allows are OR-ed. It also offers `kmsKey`, which makes SES encrypt client-side with the
 * S3 Encryption Client envelope format; a plain `GetObject` then returns ciphertext, and the
 * JavaScript SDK v3 has no client to decrypt it. Here objects are encrypted server-side instead,
 * by the bucket's default SSE-KMS encryption, and read back transparently.
 *
 * Like the stock action, the rule is made to depend on the bucket policy, because SES checks
 * that it can write to the bucket when the rule is created.
 */
export class SesS3Delivery implements ses.IReceiptRuleAction {
  constructor(private readonly props: SesS3DeliveryProps) {}

  bind(rule: ses.IReceiptRuleRef): ses.ReceiptRuleActionConfig {
    const policy = this.props.bucket.policy;
    if (!policy) {
      throw new InternalError(
        'SesS3Delivery was bound before the bucket policy granted SES write access.',
      );
    }
    rule.node.addDependency(policy);
    return {
      s3Action: {
        bucketName: this.props.bucket.bucketName,
        objectKeyPrefix: this.props.objectKeyPrefix,
      },
    };
  }
}
