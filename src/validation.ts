// Validation as a public API, by operationId: what the client checks before sending, usable without sending (a form,
// a queue consumer). Imports every operation's validator; the client itself uses each operation's own.
import { allOperations } from '../generated/operations/index.js';
import type { OperationId } from '../generated/operations.js';
import type { ValidationIssue } from './errors.js';
import { issuesOf } from './internal/validate.js';
import type { OperationDef } from './internal/operation-def.js';


/** The operations whose request body is validated (those that have one). */
export type ValidatedOperation = {
  [K in (typeof allOperations)[number] as K extends { body: true } ? K['id'] : never]: true;
} extends infer M
  ? keyof M & OperationId
  : never;

// Looked up when called (not built at import): an application that does not validate by name keeps no operation.
const definition = (operation: string): OperationDef => {
  const def = (allOperations as readonly OperationDef[]).find((d) => d.id === operation);
  if (!def) throw new TypeError(`no operation ${operation}`);
  return def;
};

/** The rules `body` breaks (empty when valid). */
export function validateRequestBody(operation: ValidatedOperation, body: unknown): ValidationIssue[] {
  const def = definition(operation);
  if (!def.body || !def.validate) throw new TypeError(`${operation} has no request body`);
  return issuesOf(def.validate, body, '(body)');
}

/** The rules `query` (an operation's query parameters as one object) breaks (empty when valid). */
export function validateQuery(operation: OperationId, query: unknown): ValidationIssue[] {
  const def = definition(operation);
  if (!def.query || !def.validate || def.body) throw new TypeError(`no validator for ${operation}Query`);
  return issuesOf(def.validate, query ?? {}, '(query)');
}
