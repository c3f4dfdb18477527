import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { localCredentials } from './local-dynamodb';
import { localResources } from '../local-settings';

export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

/** An S3-compatible store in this process, its objects under `<dataDir>/s3`. */
export async function startLocalS3(dataDir: string): Promise<LocalS3> {
  const directory = join(dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: localResources.rawMailBucket, configs: [] }],
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}

export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: localResources.region,
    credentials: localCredentials,
    forcePathStyle: true,
    // s3rver does not speak the newer default checksum protocol.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
