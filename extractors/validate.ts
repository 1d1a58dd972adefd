// Validates a report against the project's copy of the contract (spec/report.schema.json).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Report } from './report.ts';

const schema = JSON.parse(readFileSync(new URL('../spec/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const check = ajv.compile(schema);

export class SchemaError extends Error {
  override name = 'SchemaError';
  constructor(readonly problems: string[]) {
    super(
      `report fails the schema: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
    );
  }
}

/**
 * Returns the list of problems, each naming the field ("/requests/new/total must be number,null"); empty when valid.
 */
export function problems(report: unknown): string[] {
  if (check(report)) return [];
  return (check.errors ?? []).map((error) => {
    const where = error.instancePath || '/';
    const extra =
      error.keyword === 'additionalProperties'
        ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'`
        : '';
    const allowed =
      error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    return `${where} ${error.message}${extra}${allowed}`;
  });
}

export function assertValid(report: unknown): asserts report is Report {
  const found = problems(report);
  if (found.length) throw new SchemaError(found);
}
