// json-lines.js: the editor line of each field path the server names in its issues.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorLine, jsonLines, locateField } from '../../Sources/PINNService/Dashboard/Web/json-lines.js';

const spec = [
  '{', //                                    1
  '  "problem": "burgers",', //              2
  '  "network": {', //                       3
  '    "layers": [', //                      4
  '      20,', //                            5
  '      20', //                             6
  '    ],', //                               7
  '    "adaptive": "neuron"', //             8
  '  },', //                                 9
  '  "training": {"phases": [{"optimizer": "adam"}, {"optimizer": "lbfgs"}]}', // 10
  '}',
].join('\n');

test('jsonLines marks every member on its key\'s line and every element on its own', () => {
  const lines = jsonLines(spec);
  assert.equal(lines.get(''), 1);
  assert.equal(lines.get('problem'), 2);
  assert.equal(lines.get('network'), 3);
  assert.equal(lines.get('network.layers'), 4);
  assert.equal(lines.get('network.layers[0]'), 5);
  assert.equal(lines.get('network.layers[1]'), 6);
  assert.equal(lines.get('network.adaptive'), 8);
  assert.equal(lines.get('training.phases[1].optimizer'), 10);
});

test('jsonLines reads escaped quotes inside keys and strings', () => {
  const lines = jsonLines('{\n"a\\"b": "x\\"y",\n"c": 1}');
  assert.equal(lines.get('a"b'), 2);
  assert.equal(lines.get('c'), 3);
});

test('jsonLines keeps what it found before a syntax error', () => {
  const lines = jsonLines('{\n  "problem": "burgers",\n  "network": {\n    "layers": [20,, 20]\n}');
  assert.equal(lines.get('problem'), 2);
  assert.equal(lines.get('network.layers[0]'), 4);
  assert.equal(lines.has('network.layers[1]'), true, 'the element being read when it failed');
  assert.equal(lines.has('network.layers[2]'), false);
});

test('locateField finds a path with or without its leading $', () => {
  const lines = jsonLines(spec);
  assert.deepEqual(locateField(lines, '$.network.adaptive'), { line: 8, exact: true });
  assert.deepEqual(locateField(lines, 'network.layers[1]'), { line: 6, exact: true });
  assert.deepEqual(locateField(lines, 'training.phases[1].optimizer'), { line: 10, exact: true });
});

test('locateField falls back to the nearest ancestor in the text', () => {
  const lines = jsonLines(spec);
  assert.deepEqual(locateField(lines, 'network.scale'), { line: 3, exact: false });
  assert.deepEqual(locateField(lines, 'network.layers[7]'), { line: 4, exact: false });
});

test('locateField has no line for the whole spec or a path absent from its root', () => {
  const lines = jsonLines(spec);
  assert.equal(locateField(lines, '$'), null);
  assert.equal(locateField(lines, ''), null);
  assert.equal(locateField(lines, 'output.grid'), null);
});

test('jsonErrorLine reads the line from either form of JSON.parse\'s message', () => {
  const text = '{\n  "a": 1,\n  "b": ]\n}';
  assert.equal(jsonErrorLine(text, new SyntaxError('Unexpected token ] in JSON at line 3 column 8')), 3);
  assert.equal(jsonErrorLine(text, new SyntaxError('Unexpected token ] in JSON at position 19')), 3);
  // V8 since 2022 (Chromium, Node 20) names neither: `Unexpected token ']', ..."b": ]" is not valid JSON`.
  assert.equal(jsonErrorLine(text, new SyntaxError('Unexpected end of JSON input')), null);
});
