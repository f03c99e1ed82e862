// What a command prints: one line per event on standard output (`--json`: one JSON object per line, for scripts),
// warnings and errors on standard error, and a summary at the end that names every failed item and why. On a
// terminal (both outputs), progress bars instead (cli-progress: items, bytes, rate, ETA; failures and warnings are
// printed above them) and the summary as tables (cli-table3).
import cliProgress from 'cli-progress';
import Table from 'cli-table3';

export type Fields = Record<string, unknown>;

export interface Bar {
  /** Sets the bar's value (items done, bytes sent). */
  update(value: number): void;
  increment(): void;
}

const NO_BAR: Bar = { update() {}, increment() {} };

const units = ['B', 'kB', 'MB', 'GB', 'TB'];
const bytes = (n: number): string => {
  let i = 0;
  while (n >= 1000 && i < units.length - 1) (n /= 1000), i++;
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
};

export class Reporter {
  readonly failures: { item: string; reason: string }[] = [];
  readonly counts = new Map<string, number>();
  /** Progress bars on a terminal (not with --json, nor when either output is redirected). */
  readonly tty: boolean;
  private bars: cliProgress.MultiBar | undefined;
  private readonly started = Date.now();

  constructor(
    readonly json: boolean,
    private readonly out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.tty = !json && Boolean(process.stdout.isTTY && process.stderr.isTTY);
  }

  /** A progress bar (on a terminal; otherwise it does nothing): items, or bytes with `bytes`. */
  bar(label: string, total: number, options: { bytes?: boolean; value?: number } = {}): Bar {
    if (!this.tty) return NO_BAR;
    this.bars ??= new cliProgress.MultiBar(
      {
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        etaBuffer: 50,
        format: '{label} {bar} {percentage}% | {shown} | {rate} | ETA {eta_formatted}',
      },
      cliProgress.Presets.shades_classic,
    );
    // Ctrl+C: put the cursor back and leave the bars as they are (the journal lets a rerun finish the job).
    process.once('SIGINT', () => {
      this.bars?.stop();
      process.stderr.write('\ninterrupted: run the same command again to finish the job\n');
      process.exit(130);
    });
    const started = Date.now();
    const first = options.value ?? 0;
    const payload = (value: number) => {
      const perSecond = ((value - first) * 1000) / Math.max(1, Date.now() - started);
      return {
        label: label.padEnd(9),
        shown: options.bytes ? `${bytes(value)}/${bytes(total)}` : `${value}/${total}`,
        rate: options.bytes ? `${bytes(perSecond)}/s` : `${perSecond.toFixed(1)}/s`,
      };
    };
    const bar = this.bars.create(total, first, payload(first));
    let value = first;
    return {
      update(next) {
        value = Math.min(total, next);
        bar.update(value, payload(value));
      },
      increment() {
        value = Math.min(total, value + 1);
        bar.update(value, payload(value));
      },
    };
  }

  event(event: string, fields: Fields = {}): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
    if (this.json) return this.out(JSON.stringify({ event, ...fields }));
    // On a terminal the bars show the progress; only what needs reading (failures, warnings) is printed.
    if (this.tty) {
      if (event === 'failed') this.bars ? this.bars.log(`failed: ${String(fields.item)}: ${String(fields.reason)}\n`) : this.err(`failed: ${String(fields.item)}: ${String(fields.reason)}`);
      return;
    }
    const { item, ...rest } = fields;
    const tail = Object.entries(rest)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(' ');
    this.out([event.padEnd(10), item === undefined ? '' : String(item), tail].filter(Boolean).join(' '));
  }

  fail(item: string, reason: string, fields: Fields = {}): void {
    this.failures.push({ item, reason });
    this.event('failed', { item, reason, ...fields });
  }

  warn(message: string): void {
    if (this.json) this.out(JSON.stringify({ event: 'warning', message }));
    else if (this.bars) this.bars.log(`warning: ${message}\n`);
    else this.err(`warning: ${message}`);
  }

  /** The final summary; the exit code (0: every item succeeded, 1: some failed). */
  summary(fields: Fields): number {
    const failed = this.failures.length;
    this.bars?.stop();
    if (this.tty) {
      const table = new Table({ head: ['summary', ''] });
      for (const [k, v] of Object.entries(fields)) table.push([k, String(v)]);
      table.push(['failed', String(failed)], ['time', `${((Date.now() - this.started) / 1000).toFixed(1)} s`]);
      this.out(table.toString());
      if (failed) {
        const width = Math.max(40, (process.stdout.columns ?? 100) - 8);
        const failures = new Table({ head: ['failed item', 'why'], colWidths: [Math.floor(width * 0.4), Math.ceil(width * 0.6)], wordWrap: true });
        for (const { item, reason } of this.failures) failures.push([item, reason]);
        this.out(failures.toString());
      }
      return failed ? 1 : 0;
    }
    if (this.json) this.out(JSON.stringify({ event: 'summary', ...fields, failed, failures: this.failures }));
    else {
      const parts = Object.entries(fields).map(([k, v]) => `${k}=${v}`);
      this.out(`summary    ${[...parts, `failed=${failed}`].join(' ')}`);
      for (const { item, reason } of this.failures) this.out(`  failed: ${item}: ${reason}`);
    }
    return failed ? 1 : 0;
  }
}
