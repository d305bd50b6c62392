// Preloaded into the Kinesis peers (node --require listen-loopback.cjs ...): kinesalite and
// kinesis-mock (kinesis-local) listen on all interfaces and take no host option, so every
// net.Server.listen in the process is rewritten to bind 127.0.0.1, whatever form the call has
// (port[, host][, backlog][, cb] or an options object). KinesisBench checks /proc/net/tcp* too.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args.length > 0 && args[0] !== null && typeof args[0] === 'object' && !Array.isArray(args[0])) {
    if (args[0].path === undefined && args[0].fd === undefined && args[0]._handle === undefined) {
      args[0] = Object.assign({}, args[0], { host: '127.0.0.1' });
    }
  } else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const rest = args.slice(1);
    if (typeof rest[0] === 'string' || rest[0] === null || rest[0] === undefined && rest.length > 0) rest.shift();
    args = [args[0], '127.0.0.1', ...rest];
  }
  return listen.apply(this, args);
};
