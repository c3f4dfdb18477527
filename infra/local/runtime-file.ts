import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const runtimeFileSchema = z.object({
  pid: z.number().int(),
  smtp: z.string(),
  dynamoEndpoint: z.url(),
  s3Endpoint: z.url(),
});

export type RuntimeFile = z.infer<typeof runtimeFileSchema>;

const fileIn = (dataDir: string) => join(dataDir, 'runtime.json');

/** Tells the CLI where a running `npm start` serves its data (the store allows one opener). */
export function writeRuntimeFile(dataDir: string, info: RuntimeFile): void {
  writeFileSync(fileIn(dataDir), JSON.stringify(info, null, 2));
}

export function removeRuntimeFile(dataDir: string): void {
  rmSync(fileIn(dataDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running local runtime for this data directory, if there is one. */
export function readRunningRuntime(dataDir: string): RuntimeFile | undefined {
  const file = fileIn(dataDir);
  if (!existsSync(file)) return undefined;
  const parsed = runtimeFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || !isAlive(parsed.data.pid)) return undefined;
  return parsed.data;
}
