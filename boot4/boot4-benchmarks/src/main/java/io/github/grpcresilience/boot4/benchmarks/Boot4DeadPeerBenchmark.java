package io.github.grpcresilience.boot4.benchmarks;

import io.github.grpcresilience.testing.KernelBlackHole;
import io.github.grpcresilience.testing.TestCertificates;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead-peer detection on Spring Boot 4.1: a plaintext and a TLS grpc-java server with no special
 * settings are black-holed at the kernel (nftables drops their ports on loopback, no RST) under a
 * quiet stream and an idle READY channel of each side's client ({@link DeadPeerClient}); seconds
 * until each client notices, both sides in the same black hole.
 */
final class Boot4DeadPeerBenchmark {

    private static final Duration START = Duration.ofSeconds(90);

    private Boot4DeadPeerBenchmark() {
    }

    static String run(int runs) throws Exception {
        if (!KernelBlackHole.available()) {
            throw new IllegalStateException("needs root and nftables (apt-get install nftables)");
        }
        Map<String, List<String[]>> results = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            System.out.printf("dead-peer: run %d of %d (up to %d s)%n", run, runs, DeadPeerClient.CAP_SECONDS);
            oneRun(results);
        }
        StringBuilder out = new StringBuilder("### Dead-peer detection on Spring Boot 4.1 (kernel black hole, ")
                .append(runs).append(" runs, cap ").append(DeadPeerClient.CAP_SECONDS).append(" s)\n\n")
                .append("| client | connection | case | median s | max s | runs (s) | what the client saw (run 1) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        results.forEach((key, samples) -> {
            List<String> seconds = samples.stream().map(sample -> sample[0]).toList();
            out.append("| ").append(key).append(" | ").append(Stats.median(seconds)).append(" | ")
                    .append(Stats.max(seconds, DeadPeerClient.CAP_SECONDS)).append(" | ")
                    .append(String.join(", ", seconds.stream().map(s -> s.equals("-") ? ">" + DeadPeerClient.CAP_SECONDS : s).toList()))
                    .append(" | ").append(samples.get(0)[1]).append(" |\n");
        });
        return out.toString();
    }

    private static void oneRun(Map<String, List<String[]>> results) throws Exception {
        TestCertificates certificates = TestCertificates.generate();
        Server server = TestServers.start();
        Server tlsServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                certificates.serverCredentials(false)).addService(new TestServers.QuietService()).build().start();
        String[] args = {String.valueOf(server.getPort()), String.valueOf(tlsServer.getPort()),
            certificates.caCertificate().toString()};
        try (KernelBlackHole blackHole = KernelBlackHole.forPort(server.getPort());
                KernelBlackHole tlsBlackHole = KernelBlackHole.forPort(tlsServer.getPort());
                SideJvms clients = SideJvms.start(DeadPeerClient.class, args)) {
            for (SideJvm client : clients) {
                client.await("OPEN", START);
            }
            blackHole.engage();
            tlsBlackHole.engage();
            clients.forEach(client -> client.send("ENGAGED"));
            Map<String, String[]> samples = new LinkedHashMap<>();
            for (SideJvm client : clients) {
                for (int i = 0; i < 4; i++) {
                    String[] parts = client.await("NOTICED", Duration.ofSeconds(DeadPeerClient.CAP_SECONDS + 60)).split("\\|", 4);
                    samples.put(client.side.label + " | " + parts[0] + " | " + parts[1], new String[] {parts[2], parts[3]});
                }
            }
            for (Side side : Side.selected()) {
                for (String connection : List.of("plaintext", "TLS")) {
                    for (String kind : List.of("stream", "idle channel")) {
                        String key = side.label + " | " + connection + " | " + kind;
                        results.computeIfAbsent(key, k -> new ArrayList<>()).add(samples.get(key));
                    }
                }
            }
        } finally {
            server.shutdownNow();
            tlsServer.shutdownNow();
        }
    }
}
