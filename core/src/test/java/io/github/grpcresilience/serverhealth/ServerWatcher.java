package io.github.grpcresilience.serverhealth;

import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of a server under test, on one connection, that records what reaches it in order:
 * health {@code Watch} updates, the end of the watch, and every GOAWAY frame, each with the
 * {@link System#nanoTime()} it arrived.
 */
public final class ServerWatcher implements AutoCloseable {

    /** One thing that reached the client. */
    public record Event(String what, long nanoTime) {
    }

    private final TransportHooks transport = new TransportHooks(TransportKind.NIO);
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ManagedChannel channel;

    /** A plaintext grpc-netty client of a server on this loopback port. */
    public ServerWatcher(int port) {
        this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext());
    }

    /** A client built from {@code builder}, of either Netty flavour (e.g. one with TLS credentials). */
    public ServerWatcher(ManagedChannelBuilder<?> builder) {
        var unused = transport.install(builder, TcpKeepAlive.DISABLED, (code, debugData) -> record("GOAWAY")).orElseThrow();
        channel = builder.build();
    }

    private void record(String what) {
        events.add(new Event(what, System.nanoTime()));
    }

    /** Starts a {@code Watch} of {@code service}; updates arrive as events named by their status. */
    public void watch(String service) {
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService(service).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(HealthCheckResponse response) {
                        record(response.getStatus().name());
                    }

                    @Override
                    public void onError(Throwable error) {
                        record("WATCH_ENDED " + Status.fromThrowable(error).getCode());
                    }

                    @Override
                    public void onCompleted() {
                        record("WATCH_ENDED OK");
                    }
                });
    }

    /** The next event, failing if none arrives within {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("nothing reached the client within " + timeout);
        }
        return event;
    }

    /** Events that arrived and were not taken yet. */
    public int pending() {
        return events.size();
    }

    /** {@code Check} of one service: its status, or the call's status code if it failed. */
    public String check(String service) {
        try {
            ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
            return status.name();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode().name();
        }
    }

    /** A unary echo call, answered or failed within five seconds. */
    public String echo(String message) {
        return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(message).build()).getResponseMessage();
    }

    /**
     * Starts a unary call that {@link HoldingService} holds; {@code outcome} completes with its
     * response message or its failure.
     */
    public void hold(CompletableFuture<String> outcome) {
        SimpleServiceGrpc.newStub(channel).unaryRpc(
                SimpleRequest.newBuilder().setRequestMessage(HoldingService.HOLD).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(SimpleResponse response) {
                        outcome.complete(response.getResponseMessage());
                    }

                    @Override
                    public void onError(Throwable error) {
                        outcome.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        transport.close();
    }
}
