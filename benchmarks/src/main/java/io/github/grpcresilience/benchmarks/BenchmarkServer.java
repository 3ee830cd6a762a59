package io.github.grpcresilience.benchmarks;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One backend of the rolling-restart benchmark, in its own JVM so that it can be stopped with
 * SIGTERM or SIGKILL: a plain grpc-java server on 127.0.0.1 whose unary call takes 5 ms (so calls
 * are in flight when it stops), with the shutdown hook a well-behaved service has (GOAWAY, let
 * running calls finish for up to 10 s). Prints {@code READY} once it listens.
 */
public final class BenchmarkServer {

    private static final long WORK_MILLIS = 5;

    private BenchmarkServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                        try {
                            Thread.sleep(WORK_MILLIS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        responses.onNext(SimpleResponse.newBuilder().setResponseMessage(String.valueOf(port)).build());
                        responses.onCompleted();
                    }
                }).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            try {
                server.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("READY");
        System.out.flush();
        server.awaitTermination();
    }
}
