// Validation before anything is sent, of request bodies and of query parameters, with the validators that
// scripts/build.mjs compiled from the spec (Ajv standalone code: no schema compiler at run time), byte limits included.
import type { OperationId, operationTable } from '../generated/operations.js';
import * as validators from '../generated/validators.js';
import { VodValidationError, type ValidationIssue } from './errors.js';

/**
 * The operations whose request body is validated (those that have one). Derived from the operation table, not from
 * the validators module, whose Ajv-generated declarations must stay out of the package's public types.
 */
export type ValidatedOperation = {
  [K in OperationId]: (typeof operationTable)[K] extends { body: true } ? K : never;
}[OperationId];

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvIssue[] | null };

const compiled = validators as unknown as Record<string, Validator | undefined>;

// Ajv's instancePath `/thumbnail/dots/0` → `thumbnail.dots.0`; the value itself is `whole`: `(body)` or `(query)`.
const fieldPathIn = (whole: string) => (pointer: string, child?: string): string => {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.length ? parts.join('.') : whole;
};

function describe(issue: AjvIssue, whole: string): ValidationIssue {
  const p = issue.params;
  const fieldPath = fieldPathIn(whole);
  switch (issue.keyword) {
    case 'required':
      return { path: fieldPath(issue.instancePath, String(p.missingProperty)), rule: 'is required' };
    case 'additionalProperties':
      return { path: fieldPath(issue.instancePath, String(p.additionalProperty)), rule: whole === '(query)' ? 'is not a known query parameter' : 'is not a known field' };
    case 'type':
      return { path: fieldPath(issue.instancePath), rule: `must be ${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${p.type}` };
    case 'enum':
      return { path: fieldPath(issue.instancePath), rule: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'x-max-bytes':
      return { path: fieldPath(issue.instancePath), rule: issue.message ?? 'is too long' };
    default:
      return { path: fieldPath(issue.instancePath), rule: issue.message ?? issue.keyword };
  }
}

/** The rules `body` breaks (empty when valid). */
export function validateRequestBody(operation: ValidatedOperation, body: unknown): ValidationIssue[] {
  return issuesOf(operation, body, '(body)');
}

/** The rules `query` (an operation's query parameters as one object) breaks (empty when valid). */
export function validateQuery(operation: OperationId, query: unknown): ValidationIssue[] {
  return issuesOf(`${operation}Query`, query ?? {}, '(query)');
}

function issuesOf(name: string, value: unknown, whole: string): ValidationIssue[] {
  const validate = compiled[name];
  if (!validate) throw new TypeError(`no validator for ${name}`);
  if (validate(value)) return [];
  const issues = validate.errors ?? [];
  // `if` only reports that a `then` failed; the `required` issue beside it names the field. A character limit
  // (maxLength, the tags pattern) is implied by the byte limit at the same path, which says more.
  const byteLimited = new Set(
    issues.filter((i) => i.keyword === 'x-max-bytes' || i.keyword === 'x-separated-list').map((i) => i.instancePath),
  );
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.keyword === 'if') continue;
    if ((issue.keyword === 'maxLength' || issue.keyword === 'pattern') && byteLimited.has(issue.instancePath)) continue;
    const described = describe(issue, whole);
    const key = `${described.path}\n${described.rule}`;
    if (!seen.has(key)) out.push(described);
    seen.add(key);
  }
  return out;
}

/** Throws VodValidationError naming every broken rule of the body. */
export function assertValidRequestBody(operation: ValidatedOperation, body: unknown): void {
  const issues = validateRequestBody(operation, body);
  if (issues.length) throw new VodValidationError(operation, issues);
}

/** Throws VodValidationError naming every broken rule of the query parameters. */
export function assertValidQuery(operation: OperationId, query: unknown): void {
  const issues = validateQuery(operation, query);
  if (issues.length) throw new VodValidationError(operation, issues, 'query');
}
