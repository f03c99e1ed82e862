// Every operation's definition by operationId (method, path, query styles, rate limit, paging): for tools that read
// the operations as data, e.g. a scheduler that paces calls by group. Imports every operation.
import { allOperations } from '../generated/operations/index.js';

type All = (typeof allOperations)[number];

/** Each operation's definition, by operationId. */
// Pure annotations: an application that does not use the table must not keep every operation for it.
export const operationTable = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ Object.fromEntries(/* @__PURE__ */ allOperations.map((def) => [def.id, def])),
) as {
  readonly [D in All as D['id']]: D;
};
