import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { RawMailMissingError, S3AccessDeniedError, errorName, EmbargoError } from '../../errors';
import type { RawMailStore } from '../../intake/raw-mail-store';

/**
 * The object's bytes in one Buffer. With the length known, chunks are copied into a buffer of
 * that size as they arrive, so a 40 MB message is held once rather than as chunks, their
 * concatenation and a copy of that. (In Node the SDK's body is a Readable.)
 */
const incomplete = (what: string) =>
  new EmbargoError(
    'RAW_MAIL_INCOMPLETE',
    `${what} of a stored message.`,
    'Nothing to do: the read is retried; S3 answers whole on a later attempt.',
  );

async function readBody(body: Readable, length: number | undefined): Promise<Buffer> {
  if (length === undefined) return Buffer.concat(await body.toArray());
  const buffer = Buffer.allocUnsafe(length);
  let offset = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (offset + chunk.length > length)
      throw incomplete(`S3 sent more bytes than its Content-Length (${length})`);
    offset += chunk.copy(buffer, offset);
  }
  if (offset !== length) throw incomplete(`S3 sent ${offset} of ${length} bytes`);
  return buffer;
}

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
      return await readBody(result.Body as Readable, result.ContentLength);
    } catch (err) {
      if (err instanceof NoSuchKey || errorName(err) === 'NoSuchKey') {
        throw new RawMailMissingError(messageId);
      }
      if (errorName(err) === 'AccessDenied')
        throw new S3AccessDeniedError(this.prefix + messageId, err);
      throw err;
    }
  }
}
