// Chains: requests that use what an earlier response returned, as a client would. Each chain is one check; its
// steps are named in the failure.
// - transfer (PublishAssetFromObs), then a smart cover of the returned asset_id, which must answer 204, no body;
// - the OBS job: authorise the bucket, transfer, wait (poll ShowAssetMeta until the status leaves the spec's
//   x-transient-values), detail, publish, unpublish, delete, and the asset is gone. With VOD_OBS_BUCKET /
//   VOD_OBS_LOCATION / VOD_OBS_OBJECT on a real target this is the real job on that object; on a loopback target
//   with a made-up object; on Prism, which keeps no state, each step is only checked for its response;
// - a category: create, find it by the returned id, rename it, delete it, and it is gone.
import { spec, type Json } from '../helpers/spec.js';
import { harvest, minimalObject } from './cases/schema.js';
import type { OperationModel } from './cases/operations.js';
import { jsonBody } from './conformance.js';
import type { Exchange } from './exchange.js';
import { writes, type Check, type Judge } from './suite.js';
import { WRITES_REASON } from './target.js';

export const CHAIN_RULES = {
  smartCover: 'chain: a smart cover of an asset the target just created answers 204 with an empty body',
  lifecycle:
    'chain: authorise, transfer, wait until the status is not transient, detail, publish, unpublish and delete the returned asset',
  category: 'chain: create a category, list it by the returned id, rename it and delete it',
} as const;

export const OBS_REASON =
  'the whole OBS job on a real target needs a real object: VOD_OBS_BUCKET, VOD_OBS_LOCATION and VOD_OBS_OBJECT (and VOD_CONTRACT_WRITES=1)';

/** The statuses in which an asset is still being processed: AssetStatus's x-transient-values in the spec. */
export const transientStatuses = (): string[] => spec.components.schemas.AssetStatus?.['x-transient-values'] ?? [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The minimal valid body of an operation (the OBS object of VOD_OBS_* for a transfer, when given). */
export function minimalBody(judge: Judge, op: OperationModel): Record<string, unknown> {
  const body = minimalObject(op.body!.schema, [], harvest(op.body!.examples.map((e) => e.value)));
  const { obs } = judge.target;
  if (obs && 'input' in body) body.input = { ...obs };
  return body;
}

/** Creates an asset and returns its id; the step must succeed with a declared 2xx and an asset_id. */
export async function createAsset(judge: Judge, publish: OperationModel, rule: string, title = 'contract suite chain'): Promise<{ id: string; x: Exchange }> {
  const body = { ...minimalBody(judge, publish), title };
  const x = await judge.send(publish, { body });
  judge.accepted(publish, x, `${rule}: step 1, ${publish.id}`, 'the minimal body');
  const id = jsonBody(x)?.asset_id;
  if (typeof id !== 'string') judge.fail(`${rule}: step 1, ${publish.id} returns the new asset_id`, x);
  return { id, x };
}

export function chainChecks(judge: Judge, ops: OperationModel[]): Check[] {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const checks: Check[] = [];
  const publish = byId.get('PublishAssetFromObs');
  const cover = byId.get('CreateSmartCover');
  if (publish && cover) {
    const rule = CHAIN_RULES.smartCover;
    checks.push({
      group: ['chains'],
      name: `${publish.id}, then ${cover.id} of the returned asset_id answers 204 with an empty body`,
      rule,
      operations: [publish.id, cover.id],
      ...(writes(publish) && !judge.target.writes ? { skip: WRITES_REASON } : {}),
      run: async () => {
        const { id } = await createAsset(judge, publish, rule);
        const x = await judge.send(cover, { body: { asset_id: id } });
        judge.conforming(cover, x, `${rule}: step 2`);
        if (x.status !== 204) judge.fail(`${rule}: step 2, ${cover.id} of asset ${id}`, x, `got ${x.status}`);
      },
    });
  }
  const lifecycle = lifecycleCheck(judge, byId);
  if (lifecycle) checks.push(lifecycle);
  const category = categoryCheck(judge, byId);
  if (category) checks.push(category);
  return checks;
}

/**
 * Create a category, list it by the id the creation returned, rename it, delete it, and list it again: on a target
 * that keeps state it is listed after the creation and gone after the deletion (an empty list, or a declared 4xx
 * "does not exist"). The ID is an integer in the creation's answer and a string in the list's (a page defect the
 * spec keeps), so they are compared as text.
 */
function categoryCheck(judge: Judge, byId: Map<string, OperationModel>): Check | undefined {
  const ids = ['CreateAssetCategory', 'ListAssetCategory', 'UpdateAssetCategory', 'DeleteAssetCategory'];
  const ops = ids.map((id) => byId.get(id));
  // All four in the spec, the creation and the rename with their bodies.
  if (ops.some((o) => !o) || !ops[0]!.body || !ops[2]!.body) return undefined;
  const [create, list, update, remove] = ops as [OperationModel, OperationModel, OperationModel, OperationModel];
  const { target } = judge;
  const rule = CHAIN_RULES.category;
  const stateful = !target.prism;
  const step = async (n: number, op: OperationModel, out: { body?: unknown; query?: Record<string, unknown> }, what: string, unknownResourceOk = false) => {
    const x = await judge.send(op, out);
    judge.accepted(op, x, `${rule}: step ${n}, ${op.id} (${what})`, what, { unknownResourceOk });
    return x;
  };
  const listed = (x: Exchange, id: unknown): boolean => {
    const find = (items: unknown): boolean =>
      Array.isArray(items) && items.some((c: Json) => String(c?.id) === String(id) || find(c?.children));
    return find(jsonBody(x));
  };
  return {
    group: ['chains'],
    name: `${ids.join(' → ')} with the returned id (listed after the creation, gone after the deletion)`,
    rule,
    operations: ids,
    ...(!target.writes ? { skip: WRITES_REASON } : {}),
    run: async () => {
      const created = await step(1, create, { body: { ...minimalBody(judge, create), name: 'contract suite chain' } }, 'create a category');
      const id = jsonBody(created)?.id;
      if (typeof id !== 'number') judge.fail(`${rule}: step 1, ${create.id} returns the new category's integer id`, created);
      const found = await step(2, list, { query: { id } }, `list category ${id}`);
      if (stateful && !listed(found, id)) judge.fail(`${rule}: step 2, ${list.id} lists the category just created`, found);
      await step(3, update, { body: { ...minimalBody(judge, update), id, name: 'contract suite chain, renamed' } }, `rename category ${id}`);
      await step(4, remove, { query: { id } }, `delete category ${id}`);
      if (stateful) {
        const after = await step(5, list, { query: { id } }, 'after the delete', true);
        if (listed(after, id)) judge.fail(`${rule}: step 5, a deleted category is no longer listed`, after);
      }
    },
  };
}

function lifecycleCheck(judge: Judge, byId: Map<string, OperationModel>): Check | undefined {
  const ids = ['UpdateBucketAuthorized', 'PublishAssetFromObs', 'ShowAssetMeta', 'ShowAssetDetail', 'PublishAssets', 'UnpublishAssets', 'DeleteAssets'];
  const ops = ids.map((id) => byId.get(id));
  if (ops.some((o) => !o)) return undefined;
  const [authorise, transfer, meta, detail, publish, unpublish, remove] = ops as [OperationModel, OperationModel, OperationModel, OperationModel, OperationModel, OperationModel, OperationModel];
  const { target } = judge;
  const rule = CHAIN_RULES.lifecycle;
  let skip: string | undefined;
  if (!target.writes) skip = WRITES_REASON;
  else if (!target.prism && !target.loopback && !target.obs) skip = OBS_REASON;
  // Prism keeps no state: its answers are checked, not what they say about the asset.
  const stateful = !target.prism;
  const waitMs = Number(process.env.VOD_CONTRACT_WAIT_MS) || (target.loopback ? 60_000 : 30 * 60_000);

  const step = async (n: number, op: OperationModel, out: { body?: unknown; query?: Record<string, unknown> }, what: string) => {
    const x = await judge.send(op, out);
    judge.accepted(op, x, `${rule}: step ${n}, ${op.id} (${what})`, what);
    return x;
  };
  const listed = (x: Exchange, id: string): Json | undefined =>
    (jsonBody(x)?.asset_info_array as Json[] | undefined)?.find((a) => a?.asset_id === id);

  return {
    group: ['chains'],
    name: `${ids.join(' → ')} with the returned asset_id (waiting on ShowAssetMeta until the status is not transient)`,
    rule,
    operations: ids,
    ...(skip ? { skip } : {}),
    timeoutMs: waitMs + 300_000,
    run: async () => {
      const input = minimalBody(judge, transfer).input as { bucket: string };
      await step(1, authorise, { body: { bucket: input.bucket, operation: '1' } }, `authorise bucket ${input.bucket}`);
      const { id } = await createAsset(judge, transfer, `${rule}: step 2`);

      // Wait: poll ShowAssetMeta, backing off, until the asset's status is no longer transient.
      const transient = transientStatuses();
      const started = Date.now();
      let delay = target.loopback ? 50 : 2_000;
      let status: string | undefined;
      for (let poll = 1; ; poll++) {
        const x = await step(3, meta, { query: { asset_id: [id] } }, `poll ${poll}`);
        if (!stateful) break;
        const info = listed(x, id);
        if (!info) judge.fail(`${rule}: step 3, ShowAssetMeta lists the asset the target just created`, x);
        status = info.status;
        if (!transient.includes(String(status))) break;
        if (Date.now() - started > waitMs) judge.fail(`${rule}: step 3, the transfer ends within ${waitMs} ms (VOD_CONTRACT_WAIT_MS)`, x, `still ${status} after ${poll} polls`);
        await sleep(delay);
        delay = Math.min(delay * 1.5, target.loopback ? 1_000 : 30_000);
      }

      const d = await step(4, detail, { query: { asset_id: id } }, `detail of ${id}`);
      if (stateful && jsonBody(d)?.asset_id !== undefined && jsonBody(d).asset_id !== id) {
        judge.fail(`${rule}: step 4, ShowAssetDetail describes the asset asked for`, d, `asset_id ${jsonBody(d).asset_id}, not ${id}`);
      }
      // A transfer that failed is a result, not a fault of the target: such an asset is not published, only deleted.
      const failed = stateful && /FAIL/.test(String(status));
      if (!failed) {
        await step(5, publish, { body: { asset_id: [id] } }, `publish ${id}`);
        await step(6, unpublish, { body: { asset_id: [id] } }, `unpublish ${id}`);
      }
      const del = await step(7, remove, { query: { asset_id: [id] } }, `delete ${id}`);
      if (stateful) {
        const result = (jsonBody(del)?.delete_result_array as Json[] | undefined)?.find((r) => r?.asset_id === id);
        if (result && result.status !== 'DELETED') judge.fail(`${rule}: step 7, DeleteAssets deletes the asset`, del, `status ${result.status}`);
        const after = await step(8, meta, { query: { asset_id: [id] } }, `after the delete`);
        const left = listed(after, id);
        if (left && !['DELETED', 'DELETING'].includes(String(left.status))) {
          judge.fail(`${rule}: step 8, a deleted asset is no longer listed (or is DELETED/DELETING)`, after, `status ${left.status}`);
        }
      }
    },
  };
}
