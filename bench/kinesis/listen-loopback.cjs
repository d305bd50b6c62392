// Preloaded into the Kinesis peers (node --require listen-loopback.cjs ...): kinesalite and
// kinesis-mock (kinesis-local) listen on all interfaces and take no host option, so every TCP
// net.Server.listen in the process is rewritten to bind 127.0.0.1, whatever form the call has:
// (), (cb), (port[, host][, backlog][, cb]) or an options object. Unix sockets (a path, an fd, a
// handle) are left alone. KinesisBench checks /proc/net/tcp* for the result.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === 'function') {
    args = [0, '127.0.0.1', ...args];
  } else if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    if (first.path === undefined && first.fd === undefined && first._handle === undefined && first.handle === undefined) {
      args = [Object.assign({}, first, { host: '127.0.0.1' }), ...args.slice(1)];
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const rest = args.slice(1);
    if (rest.length > 0 && (typeof rest[0] === 'string' || rest[0] === null || rest[0] === undefined)) rest.shift();
    args = [first, '127.0.0.1', ...rest];
  }
  return listen.apply(this, args);
};
