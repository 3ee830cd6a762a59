'use strict';
// The grpc-js client of the suite's grpc-js tests (interop-tests, and the Spring Boot 4.1 sample's
// two-process tests, whose build copies this directory): grpc.health.v1 calls and HTTP/2 keepalive,
// reported as one JSON line per event on stdout, each with `at` (epoch milliseconds), so the Java
// test can line events up with the moment it acted on the server.
//
//   node health-client.js check <host:port> <service>...
//       one Check per service: its status, or the code it failed with; exits when all answered
//   node health-client.js watch <host:port> <service>...
//       one Watch per service on one channel: their statuses, then how each ended; exits when all ended
//   node health-client.js ping <host:port> <service> <seconds>
//       a Watch on a channel pinging every 10 s (grpc.keepalive_time_ms, as grpc-js users configure
//       it, with grpc.keepalive_permit_without_calls): every HTTP/2 PING sent and acknowledged and
//       every GOAWAY received, then a summary <seconds> after the channel is READY (`ready`)
//   node health-client.js idle-ping <host:port> <seconds>
//       the same pinging channel connected (`ready`) but with no call at all, then the same summary
//
// Every event of a call names its `service`. Every mode also takes TLS options (without them the
// channel is plaintext):
//   --ca=<ca.pem>        TLS, the server's certificate checked against this CA
//   --cert=<chain.pem> --key=<key.pem>
//                        mutual TLS: this client certificate chain and PKCS#8 key are presented
//
// Pings and GOAWAYs are seen on Node's own HTTP/2 sessions (grpc-js opens them with http2.connect),
// not in grpc-js's trace text, whose wording changes between versions.

const fs = require('fs');
const http2 = require('http2');
const path = require('path');

const USAGE = 'usage: node health-client.js check|watch <host:port> <service>... | '
  + 'ping <host:port> <service> <seconds> | idle-ping <host:port> <seconds>  '
  + '[--ca=<ca.pem> [--cert=<chain.pem> --key=<key.pem>]]';

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
const [mode, target, ...rest] = positional;
const seconds = Number(rest[rest.length - 1]);
const valid = {
  check: rest.length >= 1,
  watch: rest.length >= 1,
  ping: rest.length === 2 && seconds > 0,
  'idle-ping': rest.length === 1 && seconds > 0,
};
if (!valid[mode] || !target
    || (Object.keys(tlsFiles).length > 0 && !tlsFiles.ca) || (!tlsFiles.cert !== !tlsFiles.key)) {
  console.error(USAGE);
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
        report('pingAck', { ms: duration });
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
const pinging = mode === 'ping' || mode === 'idle-ping';
const options = pinging
  ? { 'grpc.keepalive_time_ms': 10000, 'grpc.keepalive_timeout_ms': 5000, 'grpc.keepalive_permit_without_calls': 1 }
  : {};
const read = (file) => (file ? fs.readFileSync(file) : null);
const credentials = tlsFiles.ca
  ? grpc.credentials.createSsl(read(tlsFiles.ca), read(tlsFiles.key), read(tlsFiles.cert))
  : grpc.credentials.createInsecure();
const client = new Health(target, credentials, options);
const READY_TIMEOUT_MS = 30000;
const channelState = () => grpc.connectivityState[client.getChannel().getConnectivityState(false)];

// Calls of check and watch; the client closes once every one of them has ended.
let running = 0;
function ended() {
  running--;
  if (running === 0 && !pinging) {
    client.close();
  }
}

function check(service) {
  running++;
  client.Check({ service }, (error, response) => {
    if (error) {
      report('check', { service, code: grpc.status[error.code], details: error.details });
    } else {
      report('check', { service, status: response.status });
    }
    ended();
  });
}

/** A Watch; returns whether it is still open. */
function watch(service) {
  running++;
  let open = true;
  const call = client.Watch({ service });
  call.on('data', (response) => report('status', { service, status: response.status }));
  call.on('error', (error) => {
    open = false;
    report('end', { service, code: grpc.status[error.code], details: error.details });
    ended();
  });
  call.on('end', () => {
    if (open) {
      open = false;
      report('end', { service, code: 'OK', details: '' });
      ended();
    }
  });
  return { isOpen: () => open, cancel: () => call.cancel() };
}

/** Once the channel is READY (`ready`), the summary after <seconds>: a slow start takes none of them. */
function summaryOnceReady(stream) {
  client.waitForReady(Date.now() + READY_TIMEOUT_MS, (error) => {
    if (error) {
      report('notReady', { details: error.message, channelState: channelState() });
      process.exit(1);
    }
    report('ready', { channelState: channelState() });
    summaryAfter(stream);
  });
}

function summaryAfter(stream) {
  setTimeout(() => {
    report('summary', { ...counts, streamOpen: stream ? stream.isOpen() : null, channelState: channelState() });
    if (stream) {
      stream.cancel();
    }
    client.close();
    process.exit(0);
  }, seconds * 1000);
}

const services = rest;
if (mode === 'check') {
  services.forEach(check);
} else if (mode === 'watch') {
  services.forEach(watch);
} else if (mode === 'ping') {
  summaryOnceReady(watch(services[0]));
} else {
  // Connects without a call: grpc-js pings such a connection only with keepalive_permit_without_calls.
  summaryOnceReady(null);
}
