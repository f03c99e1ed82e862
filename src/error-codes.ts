// The error-code catalogue (the spec's x-error-codes) and its lookup, in a module of its own: only an application that
// looks codes up carries the table (the client's errors do not need it).
import { errorCodes, type ErrorCodeInfo, type KnownErrorCode } from '../generated/error-codes.js';

export { errorCodes, type ErrorCodeInfo, type KnownErrorCode };

/** A known code's documented statuses and messages; `APIGW.xxxx` is looked up as `APIG.xxxx`. */
export function lookupErrorCode(code: string): (ErrorCodeInfo & { code: KnownErrorCode }) | undefined {
  const canonical = code.replace(/^APIGW\./, 'APIG.');
  return Object.prototype.hasOwnProperty.call(errorCodes, canonical)
    ? { code: canonical as KnownErrorCode, ...errorCodes[canonical as KnownErrorCode] }
    : undefined;
}
