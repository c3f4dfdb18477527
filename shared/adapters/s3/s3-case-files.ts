import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CaseFileMissingError, type CaseFiles } from '../../cases/case-files';
import { S3AccessDeniedError, errorName } from '../../errors';

/** Case files under `<prefix><key>` in the raw-mail bucket (same KMS key, same retention). */
export class S3CaseFiles implements CaseFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async put(key: string, content: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: content,
        ContentType: contentType,
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    const result = await this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }))
      .catch((err: unknown) => {
        // The SDK's own word for a missing object becomes the port's.
        if (err instanceof NoSuchKey || errorName(err) === 'NoSuchKey')
          throw new CaseFileMissingError(key);
        if (errorName(err) === 'AccessDenied')
          throw new S3AccessDeniedError(this.prefix + key, err);
        throw err;
      });
    return Buffer.from(
      await (result.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())),
    );
  }
}
