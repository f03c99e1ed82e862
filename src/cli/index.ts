// The entry point of the bundled command (dist/package/cli.js): runs the command line and exits with its code once
// standard output has been written.
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
