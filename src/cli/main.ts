// huaweicloud-vod: the command line for whole libraries (issue 19). Built on the client (createVodClient, paginate,
// uploadAsset); bundled with its argument parser (commander) into dist/package/cli.js by scripts/package.mjs, so
// that the client package keeps zero runtime dependencies. Exit codes: 0 every item succeeded, 1 some failed (the
// summary names them and why), 2 a usage error (bad or missing argument or setting).
import { createInterface } from 'node:readline/promises';
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { callOnce, isFailedStatus, publishAll, waitForAll } from './job.js';
import { JournalError } from './journal.js';
import { Reporter } from './output.js';
import { listObjectKeys } from './obs-list.js';
import { credentialsOf, setup, UsageError, type GlobalOptions } from './settings.js';
import { transfer } from './transfer.js';
import { upload } from './upload.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name}: must be a whole number >= 1 (got "${value}")`);
  return n;
};

/** The options every command takes: settings (environment variables by default) and output. */
function common(command: Command): Command {
  return command
    .option('--ak <ak>', 'access key (default: $HUAWEICLOUD_SDK_AK)')
    .option('--sk <sk>', 'secret key (default: $HUAWEICLOUD_SDK_SK; prefer the variable: flags show in ps)')
    .option('--security-token <token>', 'security token of temporary AK/SK (default: $HUAWEICLOUD_SDK_SECURITY_TOKEN)')
    .option('--project-id <id>', 'project ID (default: $HUAWEICLOUD_SDK_PROJECT_ID)')
    .option('--region <region>', 'region, e.g. cn-north-4 (default: $HUAWEICLOUD_SDK_REGION, else cn-north-4)')
    .option('--endpoint <url>', 'base URL instead of a region (a gateway, the simulator)')
    .option('--rate-limit <group=n>', 'use at most n calls/min of a rate-limit group (repeatable; default: the spec\'s limits)', collect, [])
    .option('--json', 'JSON lines on standard output (one object per event)')
    // Testing: time runs this many times faster at the server (the simulator's timeScale); pacing follows it.
    .addOption(new Option('--time-scale <n>').hideHelp());
}

const jobOptions = (command: Command) =>
  command
    .requiredOption('--journal <file>', 'journal of the job: rerun with the same file to finish it after an interruption')
    .option('--wait', 'wait until every asset is processed (ShowAssetMeta, 10 IDs per call)')
    .option('--publish', 'publish every asset (after --wait: every asset that succeeded)')
    .option('--template-group <name>', 'transcoding template group')
    .option('--tags <tags>', 'tags, comma-separated (at most 16 of 16 characters)')
    .option('--description <text>', 'description of every asset (the job adds its marker line)');

function readKeys(list: string): string[] {
  let text: string;
  try {
    text = readFileSync(list === '-' ? 0 : list, 'utf8');
  } catch (error) {
    throw new UsageError(`--list: cannot read ${list === '-' ? 'standard input' : list}: ${(error as Error).message}`);
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function ids(values: string[]): string[] {
  const all = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!all.length) throw new UsageError('give at least one asset ID');
  return [...new Set(all)];
}

export function program(): Command {
  const root = new Command('huaweicloud-vod')
    .description('Huawei Cloud VOD from the command line: upload folders, transfer OBS buckets, paced, journaled, resumable.')
    .showHelpAfterError()
    .exitOverride();

  common(jobOptions(root.command('transfer')))
    .description('create one asset per OBS object (PublishAssetFromObs), journaled: rerun with the same journal to finish')
    .requiredOption('--bucket <bucket>', 'OBS bucket of the objects')
    .requiredOption('--location <region>', 'region of the bucket, e.g. cn-north-4')
    .option('--list <file>', 'file of object keys, one per line ("-": standard input)')
    .option('--prefix <prefix>', 'every object under this key prefix (listed through OBS\'s S3-compatible API)')
    .option('--obs-endpoint <url>', 'OBS endpoint for --prefix (default https://obs.<location>.myhuaweicloud.com)')
    .option('--authorize', 'authorise VOD to read the bucket first (UpdateBucketAuthorized)')
    .option('--category-id <id>', 'category of the assets', (v) => {
      if (!/^-?\d+$/.test(v)) throw new UsageError(`--category-id: must be a whole number (got "${v}")`);
      return Number(v);
    })
    .option('--concurrency <n>', 'calls in flight at once', positiveInt('--concurrency'), 8)
    .action(act(async (o) => {
      if (!o.list === !o.prefix) throw new UsageError('transfer: give exactly one of --list FILE and --prefix P');
      const report = reporter(o);
      let keys: string[];
      if (o.list !== undefined) keys = readKeys(o.list);
      else {
        const { ak, sk, securityToken } = credentialsOf(o);
        try {
          keys = await listObjectKeys({ bucket: o.bucket, prefix: o.prefix, location: o.location, endpoint: o.obsEndpoint, ak, sk, securityToken });
        } catch (error) {
          report.fail(`obs://${o.bucket}/${o.prefix}`, `listing failed: ${(error as Error).name}: ${(error as Error).message}`);
          return report.summary({ items: 0 });
        }
        report.event('listed', { bucket: o.bucket, prefix: o.prefix, objects: keys.length });
        if (!keys.length) return report.summary({ items: 0, created: 0 });
      }
      return transfer(o, {
        bucket: o.bucket, location: o.location, keys, journal: o.journal, authorize: o.authorize,
        wait: o.wait, publish: o.publish, categoryId: o.categoryId, templateGroup: o.templateGroup, tags: o.tags,
        description: o.description, concurrency: o.concurrency, skipUnknown: o.prefix !== undefined,
      }, report);
    }));

  common(jobOptions(root.command('upload')))
    .description('upload video and audio files (folders recursively) as assets, journaled and resumable')
    .argument('<paths...>', 'files and folders')
    .option('--title <title>', 'title of the asset (one file only; default: the file name without extension)')
    .option('--category-id <id>', 'category of the assets')
    .option('--jobs <n>', 'files uploaded at once', positiveInt('--jobs'), 2)
    .option('--concurrency <n>', 'parts in flight per file', positiveInt('--concurrency'), 4)
    .addOption(new Option('--part-size <bytes>').argParser(positiveInt('--part-size')).hideHelp())
    .action(act(async (paths: string[], o) =>
      upload(o, {
        paths, journal: o.journal, title: o.title, categoryId: o.categoryId, templateGroup: o.templateGroup, tags: o.tags,
        description: o.description, jobs: o.jobs, concurrency: o.concurrency, wait: o.wait, publish: o.publish, partSize: o.partSize,
      }, reporter(o))));

  common(root.command('wait'))
    .description('wait until the assets are processed; exit 1 if any ended in a failure status')
    .argument('<asset-ids...>', 'asset IDs (spaces or commas)')
    .option('--timeout <seconds>', 'give up after this long', positiveInt('--timeout'), 3600)
    .action(act(async (values: string[], o) => {
      const report = reporter(o);
      const { client, timeScale } = setup(o);
      const left = await waitForAll(client, ids(values), {
        pollMs: Math.max(20, 2000 / timeScale), timeScale, timeoutMs: o.timeout * 1000,
        onFinal: (id, status, description) => {
          if (isFailedStatus(status)) report.fail(id, `${status}${description ? `: ${description}` : ''}`);
          else report.event('ready', { item: id, status });
        },
      });
      for (const id of left) report.fail(id, `still processing after ${o.timeout} s`);
      return report.summary({ assets: ids(values).length });
    }));

  for (const unpublish of [false, true]) {
    common(root.command(unpublish ? 'unpublish' : 'publish'))
      .description(unpublish ? 'unpublish assets (UnpublishAssets)' : 'publish assets (PublishAssets)')
      .argument('<asset-ids...>', 'asset IDs (spaces or commas)')
      .action(act(async (values: string[], o) => {
        const report = reporter(o);
        const { client, timeScale } = setup(o);
        await publishAll(client, ids(values), unpublish, timeScale, (id, ok, detail) =>
          ok ? report.event(unpublish ? 'unpublished' : 'published', { item: id, status: detail }) : report.fail(id, detail));
        return report.summary({ assets: ids(values).length });
      }));
  }

  common(root.command('delete'))
    .description('delete assets (DeleteAssets); asks first on a terminal, refuses without --yes elsewhere')
    .argument('<asset-ids...>', 'asset IDs (spaces or commas)')
    .option('-y, --yes', 'do not ask')
    .action(act(async (values: string[], o) => {
      const list = ids(values);
      const report = reporter(o);
      const { client, timeScale } = setup(o);
      if (!o.yes) {
        if (!process.stdin.isTTY) throw new UsageError('delete: standard input is not a terminal; pass --yes to delete without asking');
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(`Delete ${list.length} asset(s) (${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})? [y/N] `);
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          // On a terminal events are not printed line by line: this one is the whole outcome, so it is said.
          if (report.tty) process.stdout.write('cancelled: nothing deleted\n');
          else report.event('cancelled', { assets: list.length });
          return 0;
        }
      }
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        const outcome = await callOnce<{ delete_result_array?: { asset_id?: string; status?: string }[] }>(
          () => client.deleteAssets({ asset_id: chunk } as never) as never, true, timeScale);
        if (!outcome.ok) {
          for (const id of chunk) report.fail(id, outcome.error);
          continue;
        }
        const byId = new Map((outcome.data?.delete_result_array ?? []).map((r) => [r.asset_id, r.status]));
        for (const id of chunk) {
          const status = byId.get(id);
          if (status === 'DELETED' || status === 'DELETING') report.event('deleted', { item: id, status });
          else report.fail(id, status ?? 'not in the answer');
        }
      }
      return report.summary({ assets: list.length });
    }));

  common(root.command('ls'))
    .description('list assets, all pages (ListAssetList), one line (or JSON object) per asset')
    .option('--status <status>', 'only this status (repeatable): CREATING, FAILED, SUCCEED, PUBLISHED', collect, [])
    .option('--category-id <id>', 'only this category')
    .option('--tags <tags>', 'only assets with any of these tags (comma-separated)')
    .option('--query <text>', 'only assets whose title, description or category contains this')
    .option('--since <time>', 'created at or after (yyyyMMddHHmmss UTC, or an ISO date)')
    .option('--until <time>', 'created at or before (yyyyMMddHHmmss UTC, or an ISO date)')
    .option('--limit <n>', 'at most n assets', positiveInt('--limit'))
    .action(act(async (o) => {
      const report = reporter(o);
      const { client } = setup(o);
      const query: Record<string, unknown> = { size: 100 };
      if (o.status.length) query.status = o.status;
      if (o.categoryId !== undefined) query.category_id = Number(o.categoryId);
      if (o.tags) query.tags = o.tags;
      if (o.query) query.query_string = o.query;
      if (o.since) query.start_time = timeArg('--since', o.since);
      if (o.until) query.end_time = timeArg('--until', o.until);
      let n = 0;
      for await (const asset of client.paginate('listAssetList', query as never)) {
        const a = asset as Record<string, unknown>;
        if (report.json) report.event('asset', a);
        else report.event('asset', { item: a.asset_id, status: a.asset_status, title: a.title, created: a.create_time });
        if (o.limit && ++n >= o.limit) break;
      }
      return 0;
    }));

  common(root.command('show'))
    .description('show an asset\'s details (ShowAssetDetail) as JSON')
    .argument('<asset-id>', 'asset ID')
    .action(act(async (id: string, o) => {
      const report = reporter(o);
      const { client, timeScale } = setup(o);
      const outcome = await callOnce(() => client.showAssetDetail({ asset_id: id } as never) as never, true, timeScale);
      if (!outcome.ok) {
        report.fail(id, outcome.error);
        return 1;
      }
      process.stdout.write(`${JSON.stringify(outcome.data, null, report.json ? 0 : 2)}\n`);
      return 0;
    }));
  return root;
}

function timeArg(name: string, value: string): string {
  if (/^\d{14}$/.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${name}: "${value}" is neither yyyyMMddHHmmss nor an ISO date`);
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

// The exit code of the action that ran (0 or 1); commander itself only parses and dispatches.
let actionCode = 0;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const act = <A extends any[]>(fn: (...args: A) => Promise<number>) => async (...args: A): Promise<void> => {
  actionCode = await fn(...args);
};

const reporter = (o: GlobalOptions) => new Reporter(Boolean(o.json));

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  actionCode = 0;
  const root = program();
  try {
    if (argv.length === 0) {
      root.outputHelp();
      return 2;
    }
    await root.parseAsync(argv, { from: 'user' });
    return actionCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with 0; every parsing error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError || error instanceof JournalError) {
      process.stderr.write(`huaweicloud-vod: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`huaweicloud-vod: ${(error as Error)?.message ?? error}\n`);
    return 1;
  }
}
