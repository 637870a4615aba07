// A scripted Anthropic Messages API on 127.0.0.1 for the Claude Code end-to-end tests: no network, no model.
// usage: node scripted-model.js SCRIPT.json REQUESTS.log [PORT]   (prints the port it listens on)
// SCRIPT is a list of steps, one per request that offers tools: {"tool_use": {"name", "input"}} or {"text": "..."}.
// Every request is appended to REQUESTS.log, so a test can see what Claude Code sent back (tool results, deny reasons).
// FIRST_DELAY_MS delays the first tool call the way a real model's latency would, so the MCP server Claude Code
// starts in the background is connected before the first hook runs.
const http = require('http');
const fs = require('fs');
const script = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); // [{tool_use:{name,input}} | {text:"..."}]
let turn = 0;
const log = (o) => fs.appendFileSync(process.argv[3], JSON.stringify(o) + '\n');
function sse(res, events) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
}
http.createServer((req, res) => {
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    let json = {}; try { json = JSON.parse(body || '{}'); } catch {}
    log({ method: req.method, url: req.url, stream: json.stream, max_tokens: json.max_tokens, tools: (json.tools || []).length, messages: json.messages });
    if (!req.url.startsWith('/v1/messages')) { res.writeHead(404); return res.end('{}'); }
    if (req.url.includes('count_tokens')) { res.writeHead(200, {'content-type':'application/json'}); return res.end('{"input_tokens":10}'); }
    // Side requests (titles, quota probes) have no tools: answer with plain text.
    const step = (json.tools || []).length > 0 ? script[Math.min(turn++, script.length - 1)] : { text: 'ok' };
    if (turn === 1 && (json.tools || []).length > 0 && process.env.FIRST_DELAY_MS) { const ms = Number(process.env.FIRST_DELAY_MS); process.env.FIRST_DELAY_MS = ''; return setTimeout(() => respond(step), ms); }
    respond(step);
    function respond(step) {
    const block = step.tool_use ? { type: 'tool_use', id: 'toolu_' + turn, name: step.tool_use.name, input: {} } : { type: 'text', text: '' };
    const msg = { id: 'msg_' + Date.now(), type: 'message', role: 'assistant', model: json.model || 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } };
    if (!json.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const content = step.tool_use ? [{ ...block, input: step.tool_use.input }] : [{ type: 'text', text: step.text }];
      return res.end(JSON.stringify({ ...msg, content, stop_reason: step.tool_use ? 'tool_use' : 'end_turn' }));
    }
    const delta = step.tool_use ? { type: 'input_json_delta', partial_json: JSON.stringify(step.tool_use.input) } : { type: 'text_delta', text: step.text };
    sse(res, [
      { type: 'message_start', message: msg },
      { type: 'content_block_start', index: 0, content_block: block },
      { type: 'content_block_delta', index: 0, delta },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: step.tool_use ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } },
      { type: 'message_stop' },
    ]);
    }
  });
}).listen(Number(process.argv[4] || 0), '127.0.0.1', function () { console.log(this.address().port); });
