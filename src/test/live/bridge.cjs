// Drives Vert.x's own SockJS event-bus bridge client (npm @vertx/eventbus-bridge-client.js, over sockjs-client)
// for EventBusBridgeTest: commands as JSON lines on stdin, what the client sees as JSON lines on stdout.
//   {"op":"connect","conn":"b1","url":"http://…/eventbus"}
//   {"op":"send","conn":"b1","id":"r1","address":"…","body":{…},"headers":{…}}       → {"id","reply":…} | {"id","error":…}
//   {"op":"publish","conn":"b1","address":"…","body":{…},"headers":{…}}
//   {"op":"register","conn":"b1","id":"h1","address":"…","headers":{…}}             → {"id","message":…} | {"id","error":…}
//   {"op":"close","conn":"b1"}
// out also: {"conn","open":true} {"conn","closed":true} {"conn","err":…} (errors without a handler)
const EventBus = require('@vertx/eventbus-bridge-client.js');
const readline = require('readline');

const buses = new Map();
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

function connect(command) {
  const bus = new EventBus(command.url);
  bus.enableReconnect(false);
  bus.onopen = () => out({ conn: command.conn, open: true });
  bus.onclose = () => out({ conn: command.conn, closed: true });
  bus.onerror = (error) => out({ conn: command.conn, err: error });
  buses.set(command.conn, bus);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  const bus = buses.get(command.conn);
  try {
    if (command.op === 'connect') connect(command);
    else if (command.op === 'send') {
      bus.send(command.address, command.body, command.headers || {}, (error, reply) =>
        out(error ? { id: command.id, error } : { id: command.id, reply: reply.body }));
    } else if (command.op === 'publish') bus.publish(command.address, command.body, command.headers || {});
    else if (command.op === 'register') {
      bus.registerHandler(command.address, command.headers || {}, (error, message) =>
        out(error ? { id: command.id, error } : { id: command.id, message: message.body }));
    } else if (command.op === 'close') bus.close();
  } catch (error) {
    out({ id: command.id, conn: command.conn, thrown: String(error && error.message || error) });
  }
}).on('close', () => {
  for (const bus of buses.values()) { try { bus.close(); } catch (e) { /* closed */ } }
  process.exit(0);
});
out({ ready: true, client: require('@vertx/eventbus-bridge-client.js/package.json').version });
