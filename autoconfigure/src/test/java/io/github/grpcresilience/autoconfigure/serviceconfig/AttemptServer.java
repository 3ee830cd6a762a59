package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real server on 127.0.0.1 that records the {@code grpc-previous-rpc-attempts} header of every
 * attempt it receives and answers as scripted: fail an attempt with a status, hold the first
 * attempt until released, or answer {@code attempt-N}. Serves grpc.health.v1 too.
 */
final class AttemptServer implements AutoCloseable {

    static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Integer> ATTEMPT = Context.key("attempt");

    /** The previous-attempts value of every attempt received, in order (0 for a first attempt). */
    final List<Integer> attempts = new CopyOnWriteArrayList<>();
    final HealthStatusManager health = new HealthStatusManager();
    final CountDownLatch releaseHeld = new CountDownLatch(1);
    volatile IntFunction<Status> failure = attempt -> null;
    volatile boolean holdFirstAttempt;
    private final Server server;

    AttemptServer() throws IOException {
        ServerInterceptor readAttempt = new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
                    Metadata headers, ServerCallHandler<ReqT, RespT> next) {
                String previous = headers.get(PREVIOUS_ATTEMPTS);
                Context context = Context.current().withValue(ATTEMPT, previous == null ? 0 : Integer.parseInt(previous));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Service(), readAttempt))
                .addService(health.getHealthService())
                .build().start();
    }

    int port() {
        return server.getPort();
    }

    String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        releaseHeld.countDown();
        server.shutdownNow();
    }

    private final class Service extends SimpleServiceGrpc.SimpleServiceImplBase {
        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            int attempt = ATTEMPT.get();
            attempts.add(attempt);
            Status status = failure.apply(attempt);
            if (status != null) {
                responses.onError(status.asRuntimeException());
                return;
            }
            if (holdFirstAttempt && attempt == 0) {
                try {
                    releaseHeld.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage("attempt-" + attempt).build());
            responses.onCompleted();
        }
    }
}
