/**
 * The engine's own Go tests (server/engine/ferretdb/*_test.go), built against the patched FerretDB and
 * modernc.org/sqlite exactly as the engine binary is (testFerretdbGo in db/ferretdb.ts). They hold the patches whose
 * rules only show inside the engine: `doc -> '_id'` answered without parsing the whole document must give SQLite's
 * own bytes, NULLs and errors for every text (FerretDB's `_id` index holds what earlier writes computed), and the
 * patched document methods must keep every field.
 */
import { goAvailable, testFerretdbGo } from '../src/db/ferretdb';

const run = goAvailable() ? test : test.skip;

run(
  'the engine Go tests pass against the patched modules',
  () => {
    const output = testFerretdbGo();
    expect(output).toMatch(/^ok\s/m);
    expect(output).toMatch(/--- PASS: TestIDExtractMatchesSQLite\b/);
  },
  600_000,
);
