// Unit tests of format.js's pure helpers. Run by Node's test runner:
// `node --test crates/weft-server/ui/tests/` (`cargo test -p weft-cli
// --test ui` runs every file here).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { unreadable } from '../format.js';

test('a parked run is one failed with an unreadable_* or engine_panic code', () => {
  const failed = (code) => ({ status: 'failed', error: { code, message: 'm' } });
  assert.equal(unreadable(failed('unreadable_state')), true);
  assert.equal(unreadable(failed('unreadable_program')), true);
  assert.equal(unreadable(failed('engine_panic')), true);
  assert.equal(unreadable(failed('engine_panicked')), false);
  assert.equal(unreadable(failed(undefined)), false);
  assert.equal(unreadable({ status: 'failed', error: { message: 'card declined' } }), false);
  assert.equal(unreadable({ status: 'waiting', error: { code: 'unreadable_state' } }), false);
  assert.equal(unreadable({ status: 'failed' }), false);
});
