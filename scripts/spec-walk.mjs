// Walking the bundled spec: its operations, `$ref`s and parameters. One copy for the build (operations.mjs) and the
// docs (code-samples.mjs and the modules that use it).

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every operation of the spec: `{ path, method, op, pathItem }`, in the spec's order. */
export function operations(spec) {
  const found = [];
  for (const [path, pathItem] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (op?.operationId) found.push({ path, method, op, pathItem });
    }
  }
  return found;
}

/** The target of a `$ref` inside the bundled spec (followed until it is no `$ref`), or the node itself. */
export function resolve(spec, node) {
  if (!node?.$ref) return node;
  const path = node.$ref.replace(/^#\//, '').split('/');
  return resolve(spec, path.reduce((at, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec));
}

/** The operation's path and query parameters (path-item level ones first, overridden by the operation's own). */
export function parametersOf(spec, op, pathItem = {}) {
  const byKey = new Map();
  for (const p of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = resolve(spec, p);
    byKey.set(`${param.in}:${param.name}`, param);
  }
  return [...byKey.values()];
}
