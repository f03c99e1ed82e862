// The commands that start servers (npm start, npm run mock, npm run proxy) must not outlive themselves: they stop
// what they started on SIGINT, SIGTERM and SIGHUP, and when the process that started them is gone. The second case
// is npm's: `npm run x` runs the script through `sh -c`; `kill <npm's pid>` makes npm end that shell, and the shell
// does not pass the signal on, so the script would be left running, re-parented, with Prism and the ports it holds.

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
// The parent when this module is first loaded, i.e. at start: a parent that dies during the build is noticed too.
const parentAtStart = process.ppid;

/**
 * What a command started, stopped together on request. A resource is anything with `stop()` or `close()` (Prism as
 * startPrism returns it, the docs server), optionally with `child` (a ChildProcess), or a promise of one: a stop
 * asked for while a server is still starting waits for it, then stops it, so that nothing is left behind.
 *
 * @param {{ pollMs?: number, graceMs?: number }} [options]
 *   pollMs: how often the parent is checked; graceMs: how long the resources get to stop before their child
 *   processes are killed (SIGKILL) and the command exits anyway.
 */
export function stopTogether({ pollMs = 250, graceMs = 5000 } = {}) {
  /** @type {Promise<any>[]} */
  const resources = [];
  /** @type {Set<import('node:child_process').ChildProcess>} */
  const children = new Set();
  let stopping = false;

  // With npm gone, stdout may be a pipe nobody reads: a write would raise EPIPE and, unhandled, end this process
  // before it has stopped Prism. Output that cannot be written is dropped instead.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

  const running = (child) => child.exitCode === null && child.signalCode === null;
  const killAll = (signal) => {
    for (const child of children) if (running(child)) child.kill(signal);
  };
  // Whatever ends this process (an exception included), a child still running gets SIGTERM; 'exit' handlers run
  // synchronously, and kill() is.
  process.on('exit', () => killAll('SIGTERM'));

  /**
   * Stops every resource (in the reverse order of their start), then exits with `code`.
   * @param {string} [reason] printed first, on its own line (on stderr when `code` says it is a failure)
   */
  async function stop(reason, code = 0) {
    if (stopping) return;
    stopping = true;
    clearInterval(parentWatch);
    const log = code ? console.error : console.log;
    if (reason) log(reason);
    const force = setTimeout(() => {
      console.error(`still running after ${graceMs} ms: killing`);
      killAll('SIGKILL');
      process.exit(code || 1);
    }, graceMs);
    force.unref();
    const started = await Promise.allSettled(resources);
    for (const result of started.reverse()) {
      if (result.status !== 'fulfilled' || !result.value) continue;
      const resource = result.value;
      try {
        await (resource.stop ?? resource.close).call(resource);
      } catch (error) {
        // One that fails to stop must not keep the others running ('exit' still sends SIGTERM to its child).
        console.error(`could not stop: ${error instanceof Error ? error.message : error}`);
        code ||= 1;
      }
    }
    process.exit(code);
  }

  for (const signal of signals) {
    process.on(signal, () => {
      // A second Ctrl+C while stopping: do not wait any longer.
      if (stopping) {
        killAll('SIGKILL');
        process.exit(1);
      }
      void stop(`\n${signal}: stopping`);
    });
  }
  const parentWatch = setInterval(() => {
    if (process.ppid !== parentAtStart) void stop(`the command that started this one (pid ${parentAtStart}) is gone: stopping`);
  }, pollMs);
  parentWatch.unref();

  return {
    stop,
    /** Whether a stop has begun (a child exiting then is expected, not a failure). */
    get stopping() {
      return stopping;
    },
    /** Adds a resource, or a promise of one; returns it as given. */
    track(resource) {
      const promise = Promise.resolve(resource);
      promise.then((value) => value?.child && children.add(value.child), () => {});
      resources.push(promise.catch(() => undefined));
      return resource;
    },
  };
}
