// event-stream-parser.js: Server-Sent Events as the WHATWG HTML standard parses them, fed in arbitrary chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStreamParser } from '../../Sources/PINNService/Dashboard/Web/event-stream-parser.js';

test('a blank line dispatches the named event with its data', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('event: loss\ndata: {"iteration": 5}\n\n'), [{ name: 'loss', data: '{"iteration": 5}' }]);
});

test('an event without a name is a message; several data lines join with \\n', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('data: first\ndata: second\n\n'), [{ name: 'message', data: 'first\nsecond' }]);
});

test('an event split across chunks anywhere, even mid-line, arrives once, whole', () => {
  const text = 'event: status\ndata: {"status": "running"}\n\nevent: end\ndata: {}\n\n';
  for (let cut = 1; cut < text.length; cut++) {
    const parser = new EventStreamParser();
    const events = parser.push(text.slice(0, cut)).concat(parser.push(text.slice(cut)));
    assert.deepEqual(events, [{ name: 'status', data: '{"status": "running"}' }, { name: 'end', data: '{}' }], 'cut at ' + cut);
  }
});

test('an unfinished block is held until its blank line', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('event: loss\ndata: 1\n'), []);
  assert.deepEqual(parser.push('\n'), [{ name: 'loss', data: '1' }]);
});

test('comments and blocks without data dispatch nothing, and a name does not leak into the next block', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push(': keep-alive\n\nevent: loss\n\nid: l5\n\ndata: x\n\n'), [{ name: 'message', data: 'x' }]);
});

test('CRLF line ends are read as LF', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('event: error\r\ndata: 7\r\n\r\n'), [{ name: 'error', data: '7' }]);
});

test('one space after the colon is dropped, further ones kept; a field without a colon has an empty value', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('data:  two spaces\n\ndata:none\n\ndata\n\n'),
    [{ name: 'message', data: ' two spaces' }, { name: 'message', data: 'none' }, { name: 'message', data: '' }]);
});

test('id sets the last event id, except one containing NUL', () => {
  const parser = new EventStreamParser({ lastEventId: 'l1.0-s1-e1' });
  parser.push('id: l9.0-s9-e9\ndata: x\n\n');
  assert.equal(parser.lastEventId, 'l9.0-s9-e9');
  parser.push('id: bad\0id\n\n');
  assert.equal(parser.lastEventId, 'l9.0-s9-e9');
});

test('retry takes digits only and keeps the earlier value otherwise', () => {
  const parser = new EventStreamParser();
  assert.equal(parser.retry, 2000, 'the default');
  parser.push('retry: 5000\n\n');
  assert.equal(parser.retry, 5000);
  parser.push('retry: 1.5\nretry: soon\n\n');
  assert.equal(parser.retry, 5000);
});

test('unknown fields are ignored', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('foo: bar\ndata: y\n\n'), [{ name: 'message', data: 'y' }]);
});
