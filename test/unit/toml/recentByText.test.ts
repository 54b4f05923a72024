// The memory of recent texts (parse, key locations) keeps what is asked for again: while versions
// of the edited file come and go, the other file of the chain — asked about at every edit — stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rememberRecentByText } from '../../../server/src/toml/recentByText';

test('a text asked for again is kept over older ones; texts over the limit are never kept', () => {
  const computed: string[] = [];
  const length = rememberRecentByText((text) => (computed.push(text), text.length), { size: 2, maxLength: 10 });
  length('global');
  length('v1');
  length('global'); // hit: now the most recent
  length('v2'); // evicts v1, not global
  length('global');
  length('v1');
  assert.deepEqual(computed, ['global', 'v1', 'v2', 'v1']);
  length('a very long text');
  length('a very long text');
  assert.equal(computed.filter((text) => text === 'a very long text').length, 2);
});
