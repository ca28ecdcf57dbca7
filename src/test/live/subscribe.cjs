// Drives graphql-ws's own client (over the ws package) for GraphQLSubscriptionsTest: commands come as JSON lines
// on stdin, what the clients see goes out as JSON lines on stdout.
//   {"op":"connect","conn":"c1","url":"ws://…/graphql","params":{…}|null,"headers":{…}|null,"origin":"…"|null}
//   {"op":"subscribe","conn":"c1","sub":"s1","query":"subscription …","variables":{…}}
//   {"op":"complete","sub":"s1"}      {"op":"dispose","conn":"c1"}
// out: {"conn","connected":true} {"conn","closed":code,"reason"} {"sub","next":payload} {"sub","error":…} {"sub","complete":true}
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const readline = require('readline');

const clients = new Map();
const subscriptions = new Map();
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

function connect(command) {
  const headers = command.headers || {};
  const origin = command.origin || undefined;
  class Socket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers, origin });
    }
  }
  const client = createClient({
    url: command.url,
    webSocketImpl: Socket,
    connectionParams: command.params || undefined,
    lazy: false,
    retryAttempts: 0,
    // the server answers an upgrade it refuses (a foreign Origin) with a plain HTTP status
    onNonLazyError: (error) => out({ conn: command.conn, closed: error && error.code ? error.code : -1,
      reason: String(error && (error.reason || error.message) || error) }),
    on: {
      connected: () => out({ conn: command.conn, connected: true }),
      closed: (event) => out({ conn: command.conn, closed: event.code, reason: String(event.reason || '') }),
      error: (error) => out({ conn: command.conn, socketError: String(error && error.message || error) }),
    },
  });
  clients.set(command.conn, client);
}

function subscribe(command) {
  const client = clients.get(command.conn);
  const dispose = client.subscribe({ query: command.query, variables: command.variables || {} }, {
    next: (payload) => out({ sub: command.sub, next: payload }),
    error: (error) => out({ sub: command.sub, error: Array.isArray(error) ? error : (error && error.code
      ? { code: error.code, reason: String(error.reason || '') } : String(error && error.message || error)) }),
    complete: () => out({ sub: command.sub, complete: true }),
  });
  subscriptions.set(command.sub, dispose);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  if (command.op === 'connect') connect(command);
  else if (command.op === 'subscribe') subscribe(command);
  else if (command.op === 'complete') { const dispose = subscriptions.get(command.sub); if (dispose) dispose(); }
  else if (command.op === 'dispose') { const client = clients.get(command.conn); if (client) client.dispose(); }
}).on('close', () => {
  for (const client of clients.values()) client.dispose();
  process.exit(0);
});
out({ ready: true, graphqlWs: require('graphql-ws/package.json').version });
