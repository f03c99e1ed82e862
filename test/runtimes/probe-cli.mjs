// Runs probe.mjs on a server-side runtime and prints its result as one line of JSON.
import { probe } from './probe.mjs';

const args = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
console.log(JSON.stringify(await probe(args[0], args[1], args[2])));
