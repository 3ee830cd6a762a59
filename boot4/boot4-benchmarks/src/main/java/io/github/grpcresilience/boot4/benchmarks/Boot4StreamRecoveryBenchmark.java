package io.github.grpcresilience.boot4.benchmarks;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stream recovery on Spring Boot 4.1 ({@link RecoveryClient} on each side, both open on one
 * grpc-java echo server). (a) One subscription stream; the server is stopped, kept down 1 s, 10 s
 * or 60 s and started again on the same port; seconds from the server being ready to the first
 * message on the re-established stream. (b) Reconnect storm: 10,000 streams over one channel,
 * server down 1 s; seconds until all are back, and heap per stream.
 */
final class Boot4StreamRecoveryBenchmark {

    private static final int STORM_STREAMS = 10_000;
    private static final Duration PHASE = Duration.ofSeconds(180);

    private Boot4StreamRecoveryBenchmark() {
    }

    static String run(int runs) throws Exception {
        int port = freePort();
        Map<String, List<String>> recovery = new LinkedHashMap<>();
        for (int downtime : new int[] {1, 10, 60}) {
            for (int run = 1; run <= runs; run++) {
                System.out.printf("stream-recovery: %d s down, run %d of %d%n", downtime, run, runs);
                cycle(port, 1, downtime).forEach((side, result) ->
                        recovery.computeIfAbsent(client(side) + " | " + downtime, k -> new ArrayList<>()).add(result[1]));
            }
        }
        System.out.println("stream-recovery: storm");
        Map<Side, String[]> storm = cycle(port, STORM_STREAMS, 1);
        StringBuilder out = new StringBuilder("### Stream recovery on Spring Boot 4.1 (" + runs
                + " runs per downtime; seconds from server ready to the first message on the new stream)\n\n"
                + "| client | downtime s | median s | max s | runs (s) |\n|---|---|---|---|---|\n");
        recovery.forEach((key, runsOf) -> out.append("| ").append(key).append(" | ").append(Stats.median(runsOf, 2))
                .append(" | ").append(Stats.max(runsOf, 120, 2)).append(" | ").append(String.join(", ", runsOf)).append(" |\n"));
        out.append("\n### Reconnect storm on Spring Boot 4.1 (").append(STORM_STREAMS)
                .append(" streams over one channel, server down 1 s)\n\n| client | all back after s | heap per stream |\n|---|---|---|\n");
        storm.forEach((side, result) -> out.append("| ").append(client(side)).append(" | ").append(result[1]).append(" | ").append(result[0])
                .append(" bytes |\n"));
        return out.toString();
    }

    private static String client(Side side) {
        return side == Side.STARTER ? "starter defaults (StreamSupervisor)" : side.label + " + 1 s re-subscribe loop";
    }

    /** One outage seen by both sides; per side {heap bytes per stream, seconds to recover or -}. */
    private static Map<Side, String[]> cycle(int port, int streams, int downtimeSeconds) throws Exception {
        Server server = startServer(port);
        try (SideJvms clients = SideJvms.start(RecoveryClient.class, String.valueOf(port), String.valueOf(streams))) {
            Map<Side, String[]> results = new LinkedHashMap<>();
            for (SideJvm client : clients) {
                results.put(client.side, new String[] {client.await("STREAMING", PHASE), null});
            }
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            for (SideJvm client : clients) {
                client.await("BROKEN", PHASE);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(downtimeSeconds));
            server = startServer(port);
            clients.forEach(client -> client.send("READY"));
            for (SideJvm client : clients) {
                results.get(client.side)[1] = client.await("RECOVERED", PHASE);
            }
            return results;
        } finally {
            server.shutdownNow();
        }
    }

    private static Server startServer(int port) throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(new EchoService())
                .build().start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Echoes every message of a bidi stream. */
    private static final class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
        @Override
        public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(SimpleRequest request) {
                    responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }
}
