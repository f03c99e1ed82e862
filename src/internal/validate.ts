// Validation before anything is sent, of request bodies and of query parameters, with the validator that
// scripts/build.mjs compiled from the spec for each operation (Ajv standalone code: no schema compiler at run time),
// byte limits included. Each operation's module carries its own validator, so a bundle holds only those it calls.
import { VodValidationError, type ValidationIssue } from '../errors.js';
import type { AjvIssue, OperationDef, Validator } from './operation-def.js';

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
    case 'minItems':
      return { path: fieldPath(issue.instancePath), rule: p.limit === 1 ? 'must not be empty' : `must have at least ${p.limit} items` };
    case 'minLength':
      return { path: fieldPath(issue.instancePath), rule: p.limit === 1 ? 'must not be an empty string' : `must be at least ${p.limit} characters` };
    case 'x-max-bytes':
      return { path: fieldPath(issue.instancePath), rule: issue.message ?? 'is too long' };
    default:
      return { path: fieldPath(issue.instancePath), rule: issue.message ?? issue.keyword };
  }
}

/** The rules `value` breaks for `validate` (empty when valid); `whole` names the value itself in paths. */
export function issuesOf(validate: Validator, value: unknown, whole: '(body)' | '(query)'): ValidationIssue[] {
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

/** The rules an operation's input (its body, or its query object) breaks; empty when valid or nothing is validated. */
export function inputIssues(def: OperationDef, input: unknown): ValidationIssue[] {
  if (!def.body && !def.query) {
    // An operation with neither body nor query takes no input: whatever is passed would be silently dropped.
    if (input === undefined || input === null) return [];
    if (typeof input !== 'object' || Array.isArray(input)) return [{ path: '(input)', rule: 'this operation takes no input' }];
    return Object.keys(input).map((key) => ({ path: key, rule: 'is not a known query parameter (the operation takes none)' }));
  }
  if (!def.validate) return [];
  return def.body ? issuesOf(def.validate, input, '(body)') : issuesOf(def.validate, input ?? {}, '(query)');
}

/** Throws VodValidationError naming every broken rule of the operation's input. */
export function assertValidInput(def: OperationDef, input: unknown): void {
  const issues = inputIssues(def, input);
  if (issues.length) throw new VodValidationError(def.id, issues, def.body ? 'body' : 'query');
}
