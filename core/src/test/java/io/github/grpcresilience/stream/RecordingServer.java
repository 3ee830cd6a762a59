package io.github.grpcresilience.stream;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * A real Netty server on a fixed loopback port that records what every bidi call received, echoes
 * each message, and can be told to fail new calls; a server-streaming call records its request and
 * answers once, then stays open. Restartable on the same port.
 */
public final class RecordingServer implements AutoCloseable {

    /** What one call received, in order. */
    public final List<List<String>> calls = new CopyOnWriteArrayList<>();
    /** Bidi calls failed with {@link #failCallsWith}. */
    public final java.util.concurrent.atomic.AtomicInteger failedCalls = new java.util.concurrent.atomic.AtomicInteger();
    public final List<StreamObserver<SimpleResponse>> open = new CopyOnWriteArrayList<>();
    public volatile Status failCallsWith;
    private final int port;
    private final IntFunction<ServerBuilder<?>> builders;
    private Server server;

    RecordingServer(int port, UnaryOperator<NettyServerBuilder> customizer) {
        this(port, (IntFunction<ServerBuilder<?>>) p -> customizer.apply(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", p))));
    }

    private RecordingServer(int port, IntFunction<ServerBuilder<?>> builders) {
        this.port = port;
        this.builders = builders;
    }

    /** A plaintext grpc-netty server on a free port, after {@code customizer} had its say on the builder. */
    public static RecordingServer onFreePort(UnaryOperator<NettyServerBuilder> customizer) throws IOException {
        return new RecordingServer(freePort(), customizer);
    }

    /**
     * A server on a free port whose builder, bound to 127.0.0.1 and that port, {@code builders}
     * makes: any transport flavour and credentials (e.g. TLS).
     */
    public static RecordingServer onFreePortBuiltBy(IntFunction<ServerBuilder<?>> builders) throws IOException {
        return new RecordingServer(freePort(), builders);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public RecordingServer start() throws IOException {
        server = builders.apply(port).addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                        calls.add(List.of(request.getRequestMessage()));
                        responses.onNext(SimpleResponse.newBuilder()
                                .setResponseMessage("welcome " + request.getRequestMessage()).build());
                    }

                    @Override
                    public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
                        Status failure = failCallsWith;
                        if (failure != null) {
                            failedCalls.incrementAndGet();
                            responses.onError(failure.asRuntimeException());
                            return new StreamObserver<>() {
                                @Override
                                public void onNext(SimpleRequest value) {
                                }

                                @Override
                                public void onError(Throwable t) {
                                }

                                @Override
                                public void onCompleted() {
                                }
                            };
                        }
                        List<String> received = new CopyOnWriteArrayList<>();
                        calls.add(received);
                        open.add(responses);
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(SimpleRequest request) {
                                received.add(request.getRequestMessage());
                                synchronized (responses) {
                                    responses.onNext(SimpleResponse.newBuilder()
                                            .setResponseMessage(request.getRequestMessage()).build());
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                open.remove(responses);
                            }

                            @Override
                            public void onCompleted() {
                                open.remove(responses);
                                responses.onCompleted();
                            }
                        };
                    }
                }).build().start();
        return this;
    }

    public void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        open.clear();
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            stop();
        }
    }
}
