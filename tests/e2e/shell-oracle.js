// The reference shell parser (mvdan/sh, npm mvdan-sh) as an oracle for the differential parser tests.
// stdin: a JSON array of {name, source}. stdout: one JSON line per script:
//   {"name": ..., "error": "line:col: message"} or {"name": ..., "calls": [[[start, end], ...], ...]}
// where each call lists the UTF-8 byte ranges of a simple command's words (command name first); declarations
// (export, local, declare, readonly, typeset, nameref) count as calls. `let`, [[ ]] and (( )) are not calls.
// Calls inside backquotes whose text holds a backslash are marked "escaped" (their words are unescaped first).
'use strict';
const sh = require('mvdan-sh');
const syntax = sh.syntax;

const input = require('fs').readFileSync(0, 'utf8');
for (const { name, source } of JSON.parse(input)) {
  const parser = syntax.NewParser(syntax.Variant(syntax.LangBash));
  let file;
  try {
    file = parser.Parse(source, name);
  } catch (e) {
    process.stdout.write(JSON.stringify({ name, error: typeof e.Error === "function" ? e.Error() : String(e.message || e) }) + '\n');
    continue;
  }
  const bytes = Buffer.from(source, 'utf8');
  const escapedRanges = [];
  const calls = [];
  const range = (node) => [node.Pos().Offset(), node.End().Offset()];
  syntax.Walk(file, (node) => {
    if (node === null) return true;
    const type = syntax.NodeType(node);
    if (type === 'CmdSubst' && node.Backquotes) {
      const [s, e] = range(node);
      if (bytes.subarray(s, e).includes(0x5c)) escapedRanges.push([s, e]);
    } else if (type === 'CallExpr') {
      calls.push(node.Args.map(range));
    } else if (type === 'DeclClause') {
      calls.push([range(node.Variant)].concat(node.Args.map(range)));
    }
    return true;
  });
  const inEscaped = (call) => call.length > 0 && escapedRanges.some(([s, e]) => call[0][0] > s && call[0][1] <= e);
  process.stdout.write(JSON.stringify({ name, calls: calls.filter((c) => !inEscaped(c)) }) + '\n');
}
