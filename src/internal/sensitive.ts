// Key material (ShowAssetCipher's keys; the spec marks such responses x-sensitive) must not end up in logs: the data
// stays readable by the code that asked for it, but printing it (console.log, util.inspect, Deno's inspector) shows a
// placeholder instead. Errors never carry a success body, so they cannot leak it either.

const REDACTED = '[VOD key material, redacted from inspection: read the fields you need]';
const inspectors = [Symbol.for('nodejs.util.inspect.custom'), Symbol.for('Deno.customInspect')];

/** Marks `result.data` so that inspecting it (or the result holding it) prints a placeholder. */
export function redactSensitive(result: { data?: unknown }): void {
  const { data } = result;
  if (typeof data !== 'object' || data === null) return;
  for (const symbol of inspectors) {
    Object.defineProperty(data, symbol, { value: () => REDACTED, enumerable: false });
  }
}
