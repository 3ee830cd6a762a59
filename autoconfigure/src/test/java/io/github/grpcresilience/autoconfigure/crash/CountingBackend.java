package io.github.grpcresilience.autoconfigure.crash;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real server on 127.0.0.1 that counts how many times it executed each request, by the
 * request's message (the caller's call id), into a map its test shares between backends, and
 * echoes it. With {@link #hold} set it executes a call (counts it) and never answers, as a server
 * that dies while working on it; with {@link #headersFirst} as well it sends the response headers
 * first, as a server that has begun to answer.
 */
final class CountingBackend implements AutoCloseable {

    /** Calls this backend executed. */
    final AtomicInteger served = new AtomicInteger();
    volatile boolean hold;
    volatile boolean headersFirst;
    private final Map<String, AtomicInteger> executions;
    private final Server server;

    CountingBackend(Map<String, AtomicInteger> executions) throws IOException {
        this.executions = executions;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Service(), new HeadersFirst())).build().start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class Service extends SimpleServiceGrpc.SimpleServiceImplBase {
        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            served.incrementAndGet();
            executions.computeIfAbsent(request.getRequestMessage(), id -> new AtomicInteger()).incrementAndGet();
            if (hold) {
                return;
            }
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
            responses.onCompleted();
        }
    }

    private final class HeadersFirst implements ServerInterceptor {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                ServerCallHandler<ReqT, RespT> next) {
            if (hold && headersFirst) {
                call.sendHeaders(new Metadata());
            }
            return next.startCall(call, headers);
        }
    }
}
