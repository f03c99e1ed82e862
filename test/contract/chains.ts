// Chains: requests that use what an earlier response returned, as a client would. Publish (PublishAssetFromObs),
// then a smart cover of the returned asset_id, which must answer 204 with no body. Each chain is one check; its
// steps are named in the failure.
import { harvest, minimalObject } from './cases/schema.js';
import type { OperationModel } from './cases/operations.js';
import { jsonBody } from './conformance.js';
import type { Exchange } from './exchange.js';
import { writes, type Check, type Judge } from './suite.js';
import { WRITES_REASON } from './target.js';

export const CHAIN_RULES = {
  smartCover: 'chain: a smart cover of an asset the target just created answers 204 with an empty body',
} as const;

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
      ...(writes(publish) && !judge.target.writes ? { skip: WRITES_REASON } : {}),
      run: async () => {
        const { id } = await createAsset(judge, publish, rule);
        const x = await judge.send(cover, { body: { asset_id: id } });
        judge.conforming(cover, x, `${rule}: step 2`);
        if (x.status !== 204) judge.fail(`${rule}: step 2, ${cover.id} of asset ${id}`, x, `got ${x.status}`);
      },
    });
  }
  return checks;
}
