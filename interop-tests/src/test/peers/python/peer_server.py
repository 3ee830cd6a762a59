"""A grpcio server with the library's default options, for the starter's client to talk to.

Serves, on 127.0.0.1 (plaintext or TLS):
  interop.Peer/Echo  unary, raw bytes: answers b"<name>:" + request, so a caller sees which backend answered
  interop.Peer/Hold  bidi, raw bytes: sends nothing until the client sends, then echoes each message;
                     a quiet stream that a test can prove still works after a long silence
  grpc.health.v1.Health/Check and /Watch for "" and "interop.Peer": SERVING, or NOT_SERVING with --not-serving

Debian ships no grpcio-health-checking, so the two health messages are encoded by hand below
(HealthCheckRequest{string service = 1}, HealthCheckResponse{enum status = 1}).
Prints "listening <port>" on stdout once it serves. Run with Debian's /usr/bin/python3 (python3-grpcio).
"""

import argparse
import sys
import threading
from concurrent import futures

import grpc

SERVING = 1
NOT_SERVING = 2
SERVICES = ("", "interop.Peer")


def read_varint(data, position):
    result = 0
    shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def write_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_service(request):
    """The service field (1) of a HealthCheckRequest; other fields are skipped."""
    service = ""
    position = 0
    while position < len(request):
        key, position = read_varint(request, position)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, position = read_varint(request, position)
        elif wire_type == 1:
            position += 8
        elif wire_type == 2:
            length, position = read_varint(request, position)
            if field == 1:
                service = request[position:position + length].decode("utf-8")
            position += length
        elif wire_type == 5:
            position += 4
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
    return service


def encode_status(status):
    """A HealthCheckResponse with field 1 (status) set."""
    return b"\x08" + write_varint(status)


class Health:
    def __init__(self, status):
        self.status = status

    def check(self, request, context):
        service = decode_service(request)
        if service not in SERVICES:
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service " + service)
        return encode_status(self.status)

    def watch(self, request, context):
        service = decode_service(request)
        if service not in SERVICES:
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service " + service)
        yield encode_status(self.status)
        # the status never changes after start: hold the watch open until the client goes away
        ended = threading.Event()
        context.add_callback(ended.set)
        ended.wait()


class Peer:
    def __init__(self, name):
        self.prefix = (name + ":").encode("utf-8")

    def echo(self, request, context):
        return self.prefix + request

    def hold(self, requests, context):
        for request in requests:
            yield request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--name", default="python", help="what Echo answers with")
    parser.add_argument("--not-serving", action="store_true", help="health reports NOT_SERVING")
    parser.add_argument("--cert", help="PEM certificate chain; with --key serves TLS")
    parser.add_argument("--key", help="PEM private key")
    args = parser.parse_args()

    # every held stream and watch takes a worker thread
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64))
    health = Health(NOT_SERVING if args.not_serving else SERVING)
    peer = Peer(args.name)
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
            "Check": grpc.unary_unary_rpc_method_handler(health.check),
            "Watch": grpc.unary_stream_rpc_method_handler(health.watch),
        }),
        grpc.method_handlers_generic_handler("interop.Peer", {
            "Echo": grpc.unary_unary_rpc_method_handler(peer.echo),
            "Hold": grpc.stream_stream_rpc_method_handler(peer.hold),
        }),
    ))
    address = "127.0.0.1:%d" % args.port
    if args.cert:
        with open(args.key, "rb") as key, open(args.cert, "rb") as chain:
            credentials = grpc.ssl_server_credentials([(key.read(), chain.read())])
        port = server.add_secure_port(address, credentials)
    else:
        port = server.add_insecure_port(address)
    server.start()
    print("listening %d" % port, flush=True)
    print("%s: grpcio %s on 127.0.0.1:%d, %s, health %s" % (
        args.name, grpc.__version__, port, "TLS" if args.cert else "plaintext",
        "NOT_SERVING" if args.not_serving else "SERVING"), file=sys.stderr, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
