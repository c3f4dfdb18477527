import { AsyncLocalStorage } from 'node:async_hooks';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { now } from '../support/bench-support';

/** What one intake invocation spent, by stage (wall time, inclusive, in ms). */
export interface IntakeTrace {
  /** The id the SMTP gateway stored the raw message under (the SES message id). */
  storedAs: string;
  attempts: number;
  startedAt: number;
  endedAt?: number;
  /** When the first mail to a non-maintainer (the acknowledgment) was in new/. */
  ackWrittenAt?: number;
  /** Whether stages were attributed to this invocation (full mode). */
  staged: boolean;
  stages: Map<string, { ms: number; calls: number }>;
  /** DynamoDB calls by command (GetCommand, UpdateCommand, ...). */
  dynamoCommands: Map<string, number>;
}

/**
 * The stages measured, in the order a report goes through them. Each is a method of a service
 * object, wrapped at run time from outside: product code is not changed. Wall times are inclusive
 * (acknowledge contains its DynamoDB calls and its Maildir write) and, when reports run
 * concurrently, include waiting for the event loop while other reports compute.
 */
export const STAGES = [
  'raw mail from S3',
  'parse (mailparser)',
  'read/decrypt',
  'acknowledge',
  'forward to maintainers',
  'encrypt+sign',
  'inspect key',
  'DynamoDB call',
  'Maildir write',
] as const;
export type Stage = (typeof STAGES)[number];

type AnyFunction = (...args: unknown[]) => Promise<unknown>;

/**
 * Times intake per invocation. In full mode every stage is attributed to its invocation with
 * AsyncLocalStorage, which costs the process something (async hooks on every promise); in light
 * mode only the start and end of each invocation and the moment its acknowledgment was written
 * (matched by recipient) are kept, at no measurable cost.
 */
export class StageProbe {
  readonly traces = new Map<string, IntakeTrace>();
  /** Stages whose method was not where the probe expected it (internals changed). */
  readonly missing: string[] = [];
  private readonly current = new AsyncLocalStorage<IntakeTrace>();
  private readonly bySender = new Map<string, IntakeTrace>();
  private mode: 'full' | 'light' = 'full';

  /**
   * @param onStage called as each stage starts and ends, and as an invocation begins and ends
   *   (full mode), e.g. to read the memory high-water mark in between.
   */
  constructor(
    private readonly maintainerAddresses: Set<string>,
    private readonly onStage?: (event: string) => void,
  ) {}

  /** Light mode: no AsyncLocalStorage, so no async hooks while it is on. */
  light(): void {
    this.mode = 'light';
    this.current.disable();
  }

  full(): void {
    this.mode = 'full';
  }

  instrument(services: EmbargoServices): void {
    const intake = services.intake as unknown as Record<string, unknown>;
    const deps = intake['deps'] as Record<string, unknown> | undefined;
    this.wrapReceive(intake);
    this.wrap(deps?.['rawMail'], 'get', 'raw mail from S3');
    this.wrap(deps, 'parse', 'parse (mailparser)');
    this.wrap(deps?.['reader'], 'read', 'read/decrypt');
    this.wrap(deps?.['acknowledger'], 'send', 'acknowledge');
    this.wrap(deps?.['mailer'], 'toMaintainers', 'forward to maintainers');
    this.wrap(services.crypto, 'encryptAndSign', 'encrypt+sign');
    this.wrap(services.crypto, 'inspectKey', 'inspect key');
    // One DocumentClient serves every repository; the transport is the dispatcher's.
    const dynamo = (services.cases as unknown as Record<string, unknown>)['client'];
    this.wrap(dynamo, 'send', 'DynamoDB call', (trace, command) => {
      const name = (command as { constructor?: { name?: string } })?.constructor?.name ?? '?';
      trace.dynamoCommands.set(name, (trace.dynamoCommands.get(name) ?? 0) + 1);
    });
    this.wrapTransport((services.dispatcher as unknown as Record<string, unknown>)['transport']);
  }

  private wrapReceive(intake: Record<string, unknown>): void {
    const original = intake['receive'];
    if (typeof original !== 'function') {
      this.missing.push('intake.receive');
      return;
    }
    intake['receive'] = (delivery: { messageId: string; envelopeFrom?: string }) => {
      let trace = this.traces.get(delivery.messageId);
      if (trace) trace.attempts++;
      else {
        trace = {
          storedAs: delivery.messageId,
          attempts: 1,
          startedAt: now(),
          staged: this.mode === 'full',
          stages: new Map(),
          dynamoCommands: new Map(),
        };
        this.traces.set(delivery.messageId, trace);
        if (delivery.envelopeFrom) this.bySender.set(delivery.envelopeFrom.toLowerCase(), trace);
      }
      const active = trace;
      const run = async () => {
        try {
          return await (original as AnyFunction).call(intake, delivery);
        } finally {
          active.endedAt = now();
          this.onStage?.('intake end');
        }
      };
      this.onStage?.('intake start');
      return this.mode === 'full' ? this.current.run(active, run) : run();
    };
  }

  private wrap(
    owner: unknown,
    method: string,
    stage: Stage,
    onCall?: (trace: IntakeTrace, firstArgument: unknown) => void,
  ): void {
    const target = owner as Record<string, unknown> | undefined;
    const original = target?.[method];
    if (!target || typeof original !== 'function') {
      this.missing.push(stage);
      return;
    }
    target[method] = async (...args: unknown[]) => {
      if (this.mode === 'light') return (original as AnyFunction).apply(target, args);
      const trace = this.current.getStore();
      if (trace) onCall?.(trace, args[0]);
      // Only calls made for an intake invocation (not, say, the notice scheduler's queries).
      if (trace) this.onStage?.(`${stage} (start)`);
      const started = now();
      try {
        return await (original as AnyFunction).apply(target, args);
      } finally {
        const ms = now() - started;
        if (trace) {
          this.onStage?.(stage);
          const entry = trace.stages.get(stage) ?? { ms: 0, calls: 0 };
          entry.ms += ms;
          entry.calls++;
          trace.stages.set(stage, entry);
        }
      }
    };
  }

  private wrapTransport(owner: unknown): void {
    const target = owner as Record<string, unknown> | undefined;
    const original = target?.['send'];
    if (!target || typeof original !== 'function') {
      this.missing.push('Maildir write');
      return;
    }
    target['send'] = async (mail: { recipient: string }) => {
      const recipient = mail.recipient.toLowerCase();
      const trace = this.mode === 'full' ? this.current.getStore() : this.bySender.get(recipient);
      const full = this.mode === 'full';
      if (full && trace) this.onStage?.('Maildir write (start)');
      const started = now();
      try {
        return await (original as AnyFunction).call(target, mail);
      } finally {
        const ended = now();
        if (full && trace) this.onStage?.('Maildir write');
        if (trace && full) {
          const entry = trace.stages.get('Maildir write') ?? { ms: 0, calls: 0 };
          entry.ms += ended - started;
          entry.calls++;
          trace.stages.set('Maildir write', entry);
        }
        if (trace && !trace.ackWrittenAt && !this.maintainerAddresses.has(recipient))
          trace.ackWrittenAt = ended;
      }
    };
  }
}
