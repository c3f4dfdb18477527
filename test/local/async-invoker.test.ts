import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalAsyncInvoker } from '../../infra/local/local-async-invoker';
import { memoryLogger } from '../support/local-stores';

describe("local mode's asynchronous invoker", () => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-invoker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An invoker whose handler waits until released, recording the order invocations start in. */
  function invoker(concurrency: number) {
    const started: string[] = [];
    const pending: Array<() => void> = [];
    const handler = (event: unknown) =>
      new Promise<void>((resolve) => {
        started.push(String(event));
        pending.push(resolve);
      });
    const releaseOne = async () => {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    };
    const inv = new LocalAsyncInvoker('test', handler, {
      deadLetterDir: dir,
      log: memoryLogger(),
      concurrency,
    });
    return { inv, started, releaseOne };
  }

  it('takes waiting invocations in turn from each lane, so that a backlog in one does not hold up another', async () => {
    const { inv, started, releaseOne } = invoker(1);
    for (let i = 0; i < 10; i++) inv.invoke(`flood-${i}`, `f${i}`, 'flood.example');
    inv.invoke('report', 'r', 'reporter.example');
    inv.invoke('other-flood-0', 'o0', 'other.example');
    inv.invoke('other-flood-1', 'o1', 'other.example');
    await new Promise((resolve) => setImmediate(resolve));
    while (started.length < 13) await releaseOne();
    await releaseOne();
    await inv.drain();
    // First come, first served would start the report 11th.
    expect(started.slice(0, 6)).toEqual([
      'flood-0',
      'flood-1',
      'report',
      'other-flood-0',
      'flood-2',
      'other-flood-1',
    ]);
    expect([...started].sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, i) => `flood-${i}`),
        'other-flood-0',
        'other-flood-1',
        'report',
      ].sort(),
    );
  });

  it('runs up to its concurrency at once and keeps the order within a lane', async () => {
    const { inv, started, releaseOne } = invoker(3);
    for (let i = 0; i < 6; i++) inv.invoke(`a-${i}`, `a${i}`, 'a.example');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a-0', 'a-1', 'a-2']);
    while (started.length < 6) await releaseOne();
    for (let i = 0; i < 3; i++) await releaseOne();
    await inv.drain();
    expect(started).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
  });
});
