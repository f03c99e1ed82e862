// The power test, part 2 of 2: see harness.ts.
import { describePower } from './harness.js';

describePower(1, 2, false);
