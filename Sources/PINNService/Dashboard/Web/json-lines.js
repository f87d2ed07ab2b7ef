// Which line of the spec editor's JSON text a field path names, so each issue the server reports is marked beside
// its field (pure: tested in Tests/DashboardTests).

/** The line of every value in a JSON text, by field path as the server names it (`a.b[2].c`); object members
 *  map to their key's line. Stops quietly at a syntax error, keeping what it found before it. */
export function jsonLines(text) {
  const lines = new Map();
  let i = 0, line = 1;
  const fail = () => { throw new SyntaxError('json'); };
  const space = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') { line++; i++; } else if (c === ' ' || c === '\t' || c === '\r') i++; else break;
    }
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const object = (path) => {
    i++; space();
    if (text[i] === '}') { i++; return; }
    for (;;) {
      space();
      if (text[i] !== '"') fail();
      const keyLine = line;
      const key = string();
      const child = path ? path + '.' + key : key;
      lines.set(child, keyLine);
      space();
      if (text[i] !== ':') fail();
      i++;
      value(child);
      space();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return; }
      fail();
    }
  };
  const array = (path) => {
    i++; space();
    if (text[i] === ']') { i++; return; }
    for (let index = 0; ; index++) {
      value(path + '[' + index + ']');
      space();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return; }
      fail();
    }
  };
  const value = (path) => {
    space();
    if (!lines.has(path)) lines.set(path, line);
    const c = text[i];
    if (c === '{') object(path);
    else if (c === '[') array(path);
    else if (c === '"') string();
    else {
      const start = i;
      while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
      if (i === start) fail();
    }
  };
  try { value(''); } catch (error) { if (!(error instanceof SyntaxError)) throw error; }
  return lines;
}

/** The editor line a field path names (`$.a.b[0]` or `a.b[0]`): {line, exact} for the path itself, else for its
 *  nearest ancestor present in the text (`exact: false`); null for the whole spec or nothing found. */
export function locateField(lines, field) {
  if (!field || field === '$') return null;
  const path = field.replace(/^\$\.?/, '');
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) || [];
  let prefix = '', found = null;
  for (const part of parts) {
    prefix = part.startsWith('[') ? prefix + part : (prefix ? prefix + '.' + part : part);
    if (lines.has(prefix)) found = { line: lines.get(prefix), exact: prefix === path };
    else break;
  }
  return found;
}

/** The line a JSON.parse error points at, from its message (`line L column C` or `position P`), else null. */
export function jsonErrorLine(text, error) {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return Number(lineColumn[1]);
  const position = /position (\d+)/.exec(error.message);
  if (position) return text.slice(0, Number(position[1])).split('\n').length;
  return null;
}
