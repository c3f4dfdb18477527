import type { CaseRecord } from '../../cases/case-record';
import { checkStoredCase, checkStoredComparedCase } from '../../cases/case-record-schema';
import { comparedCaseFields, type ComparedCase } from '../../cases/compared-case';
import { keys, listPartitions } from './table-layout';

/**
 * The report index (up to 250 word counts and 120 identifiers) is stored as one JSON string:
 * as a map it is hundreds of attribute values to marshal and unmarshal, and duplicate detection
 * reads every case's index for each new report (a third of the list query's time on the local
 * DynamoDB, docs/benchmarks.md). Under its own name, so a version that reads `reportIndex` as a
 * map (cases stored before) still reads new cases, just without their index.
 */
export const INDEX_TEXT = 'reportIndexText';

/** The table layout's attributes on a case item: not part of the case. */
const LAYOUT = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];

/** The attributes duplicate detection reads (a ProjectionExpression), the key to name a bad item. */
export const comparedCaseAttributes = ['pk', 'sk', ...comparedCaseFields, INDEX_TEXT];

/** Fields of a case as they are stored: the report index as its text. */
export function storedFields(fields: Partial<CaseRecord>): Record<string, unknown> {
  if (!('reportIndex' in fields)) return fields;
  const { reportIndex, ...rest } = fields;
  return { ...rest, [INDEX_TEXT]: reportIndex && JSON.stringify(reportIndex) };
}

/** The item a case is stored as: its key, its place in the list of cases, its fields. */
export function caseItem(record: CaseRecord): Record<string, unknown> {
  return {
    ...keys.case(record.id),
    gsi1pk: listPartitions.cases,
    gsi1sk: `${record.receivedAt}#${record.id}`,
    ...storedFields(record),
  };
}

/** An item's case fields: without the layout, the index read back from its text. */
function caseFields(item: Record<string, unknown>): Record<string, unknown> {
  const fields = { ...item };
  for (const key of [...LAYOUT, INDEX_TEXT]) delete fields[key];
  const text = item[INDEX_TEXT];
  if (typeof text === 'string') {
    try {
      fields.reportIndex = JSON.parse(text) as unknown;
    } catch {
      // Left as text: the check below names the item and says the index is not an object.
      fields.reportIndex = text;
    }
  }
  return fields;
}

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)} / ${String(item.sk)}`;

/** The case in an item, checked as it is read. */
export const caseFromItem = (item: Record<string, unknown>): CaseRecord =>
  checkStoredCase(caseFields(item), keyOf(item));

/** The compared fields of a case in an item read with comparedCaseAttributes, checked. */
export const comparedCaseFromItem = (item: Record<string, unknown>): ComparedCase =>
  checkStoredComparedCase(caseFields(item), keyOf(item));
