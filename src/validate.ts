// Request-body validation before anything is sent, with the validators that scripts/build.mjs compiled from the
// spec (Ajv standalone code: no schema compiler at run time), byte limits included.
import * as validators from '../generated/validators.js';
import { VodValidationError, type ValidationIssue } from './errors.js';

export type ValidatedOperation = 'PublishAssetFromObs' | 'CreateSmartCover';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvIssue[] | null };

const compiled = validators as unknown as Record<ValidatedOperation, Validator>;

// Ajv's instancePath `/thumbnail/dots/0` → `thumbnail.dots.0`; the body itself is `(body)`.
const fieldPath = (pointer: string, child?: string): string => {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.length ? parts.join('.') : '(body)';
};

function describe(issue: AjvIssue): ValidationIssue {
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return { path: fieldPath(issue.instancePath, String(p.missingProperty)), rule: 'is required' };
    case 'additionalProperties':
      return { path: fieldPath(issue.instancePath, String(p.additionalProperty)), rule: 'is not a known field' };
    case 'type':
      return { path: fieldPath(issue.instancePath), rule: `must be ${p.type === 'integer' ? 'an integer' : `a ${p.type}`}` };
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
  const validate = compiled[operation];
  if (validate(body)) return [];
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
    const described = describe(issue);
    const key = `${described.path}\n${described.rule}`;
    if (!seen.has(key)) out.push(described);
    seen.add(key);
  }
  return out;
}

/** Throws VodValidationError naming every broken rule. */
export function assertValidRequestBody(operation: ValidatedOperation, body: unknown): void {
  const issues = validateRequestBody(operation, body);
  if (issues.length) throw new VodValidationError(operation, issues);
}
