// The power test, part 1 of 2 (with the subprocess runs): see harness.ts.
import { describePower } from './harness.js';

describePower(0, 2, true);
