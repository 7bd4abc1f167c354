// The Socket.IO side of bench/compare.sh: what Roomkeeper's live API does for a room, no more.
//   node server.js --port 3000 [--redis redis://127.0.0.1:6379]
// A client emits `join` {room, name}; the server puts it in the room and answers `joined` {room}.
// A client emits `broadcast` {data}; the server emits `message` {type, from, data} to everyone in the
// room, the sender too (io.to(room), as Roomkeeper's /app/rooms/{code}/broadcast does).
// With --redis, rooms span every server on that Redis through @socket.io/redis-adapter.
'use strict';
const http = require('node:http');
const { Server } = require('socket.io');

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const port = Number(option('--port') || 3000);
  const redisUrl = option('--redis');
  const httpServer = http.createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404).end();
  });
  // WebSocket only, as the generator speaks it; no per-message compression (Socket.IO's default).
  const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });
  if (redisUrl) {
    const { createClient } = require('redis');
    const { createAdapter } = require('@socket.io/redis-adapter');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  io.on('connection', (socket) => {
    socket.on('join', (join) => {
      if (!join || typeof join.room !== 'string') {
        return;
      }
      socket.data.room = join.room;
      socket.data.name = String(join.name);
      socket.join(join.room);
      socket.emit('joined', { room: join.room });
    });
    socket.on('broadcast', (message) => {
      if (socket.data.room !== undefined && message) {
        io.to(socket.data.room).emit('message', { type: 'message', from: socket.data.name, data: message.data });
      }
    });
  });
  httpServer.listen(port, '127.0.0.1', () => {
    console.log(`socket.io ${require('socket.io/package.json').version} on ${port}${redisUrl ? ' with ' + redisUrl : ''}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
