import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RawMailMissingError } from '../../domain/errors';
import type { RawMailStore } from '../../ports/raw-mail-store';

/** Raw messages under `<prefix><messageId>`, the key SES's S3 action writes. */
export class S3RawMailStore implements RawMailStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async put(messageId: string, raw: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + messageId,
        Body: raw,
        ContentType: 'message/rfc822',
      }),
    );
  }

  async get(messageId: string): Promise<Buffer> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + messageId }),
      );
      if (!result.Body) throw new RawMailMissingError(messageId);
      return Buffer.from(await result.Body.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey || (err as Error).name === 'NoSuchKey') {
        throw new RawMailMissingError(messageId);
      }
      throw err;
    }
  }
}
