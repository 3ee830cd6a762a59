'use strict';
// The grpc-js client of the sample's two-process tests: a grpc.health.v1 Watch on the control
// plane, reported as one JSON line per event on stdout, each with `at` (epoch milliseconds), so the
// Java test can line events up with the moment it signalled the server.
//
//   node health-client.js watch <host:port> <service>
//       the Watch's statuses, then how it ended; exits when the stream ends
//   node health-client.js ping <host:port> <service> <seconds>
//       the same Watch on a channel pinging every 10 s (grpc.keepalive_time_ms, as grpc-js users
//       configure it); also every HTTP/2 PING sent and acknowledged and every GOAWAY received,
//       then a summary after <seconds>
//
// Either mode also takes TLS options (without them the channel is plaintext):
//   --ca=<ca.pem>        TLS, the server's certificate checked against this CA
//   --cert=<chain.pem> --key=<key.pem>
//                        mutual TLS: this client certificate chain and PKCS#8 key are presented
//
// Pings and GOAWAYs are seen on Node's own HTTP/2 sessions (grpc-js opens them with http2.connect),
// not in grpc-js's trace text, whose wording changes between versions.

const fs = require('fs');
const http2 = require('http2');
const path = require('path');

const tlsFiles = {};
const positional = [];
for (const argument of process.argv.slice(2)) {
  const option = /^--(ca|cert|key)=(.+)$/.exec(argument);
  if (option) {
    tlsFiles[option[1]] = option[2];
  } else {
    positional.push(argument);
  }
}
const [mode, target, service, seconds] = positional;
if (!['watch', 'ping'].includes(mode) || !target || service === undefined
    || (Object.keys(tlsFiles).length > 0 && !tlsFiles.ca) || (!tlsFiles.cert !== !tlsFiles.key)) {
  console.error('usage: node health-client.js watch|ping <host:port> <service> [seconds] '
    + '[--ca=<ca.pem> [--cert=<chain.pem> --key=<key.pem>]]');
  process.exit(2);
}

function report(event, fields) {
  process.stdout.write(JSON.stringify({ at: Date.now(), event, ...fields }) + '\n');
}

const counts = { pingsSent: 0, pingsAcked: 0, goaways: 0 };
const connect = http2.connect;
http2.connect = function (...args) {
  const session = connect.apply(this, args);
  // Seen in emit, not with a listener: grpc-js removes every listener once the session is up.
  const emit = session.emit;
  session.emit = function (event, ...args) {
    if (event === 'goaway') {
      const [errorCode, , opaqueData] = args;
      counts.goaways++;
      report('goaway', { errorCode, data: opaqueData ? opaqueData.toString() : '' });
    }
    return emit.call(this, event, ...args);
  };
  const ping = session.ping;
  session.ping = function (payload, callback) {
    const done = typeof payload === 'function' ? payload : callback;
    counts.pingsSent++;
    report('ping', {});
    const acked = (error, duration, reply) => {
      if (!error) {
        counts.pingsAcked++;
      }
      if (done) {
        done(error, duration, reply);
      }
    };
    return typeof payload === 'function' ? ping.call(this, acked) : ping.call(this, payload, acked);
  };
  return session;
};

// Loaded after the patch above, so its sessions are the patched ones.
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(path.join(__dirname, 'grpc/health/v1/health.proto'), {
  enums: String,
  defaults: true,
});
const Health = grpc.loadPackageDefinition(definition).grpc.health.v1.Health;
const options = mode === 'ping'
  ? { 'grpc.keepalive_time_ms': 10000, 'grpc.keepalive_timeout_ms': 5000, 'grpc.keepalive_permit_without_calls': 1 }
  : {};
const read = (file) => (file ? fs.readFileSync(file) : null);
const credentials = tlsFiles.ca
  ? grpc.credentials.createSsl(read(tlsFiles.ca), read(tlsFiles.key), read(tlsFiles.cert))
  : grpc.credentials.createInsecure();
const client = new Health(target, credentials, options);

let ended = false;
const call = client.Watch({ service });
call.on('data', (response) => report('status', { status: response.status }));
call.on('error', (error) => {
  ended = true;
  report('end', { code: grpc.status[error.code], details: error.details });
  if (mode === 'watch') {
    client.close();
  }
});
call.on('end', () => {
  if (!ended) {
    ended = true;
    report('end', { code: 'OK', details: '' });
  }
  if (mode === 'watch') {
    client.close();
  }
});

if (mode === 'ping') {
  setTimeout(() => {
    report('summary', { ...counts, streamOpen: !ended, channelState: grpc.connectivityState[client.getChannel().getConnectivityState(false)] });
    call.cancel();
    client.close();
    process.exit(0);
  }, Number(seconds) * 1000);
}
