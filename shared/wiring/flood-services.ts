import { DynamoDbAdmissionCounters } from '../adapters/dynamodb/flood/dynamodb-admission-counters';
import { DynamoDbFloodCollection } from '../adapters/dynamodb/flood/dynamodb-flood-collection';
import { Admission } from '../intake/admission/admission';
import { FloodDigest } from '../intake/admission/flood-digest';
import type { CaseMailEnvironment, CaseMailServices } from './case-mail-services';

/**
 * The flood defences: the admission check intake runs on each message, where refused mail is
 * listed, and the hourly digest the periodic watch sends from that list.
 */
export function floodServices(
  core: CaseMailServices,
  env: Pick<CaseMailEnvironment, 'dynamo' | 'tableName'>,
) {
  const { config, mailer, dispatcher, clock, log } = core;
  const admission = new Admission({
    config,
    counters: new DynamoDbAdmissionCounters(env.dynamo, env.tableName),
  });
  const floodCollection = new DynamoDbFloodCollection(env.dynamo, env.tableName);
  const floodDigest = new FloodDigest({
    config,
    collection: floodCollection,
    mailer,
    dispatcher,
    clock,
    log,
  });
  return { admission, floodCollection, floodDigest };
}
