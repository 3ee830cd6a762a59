package io.github.grpcresilience.benchmarks;

import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.testing.KernelBlackHole;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.testing.TestCertificates;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ConnectivityState;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Dead-peer detection: a server with no special settings is black-holed at the kernel (nftables
 * drops its port on loopback, no RST) under an open quiet stream and under an idle READY channel;
 * seconds until the client notices, for plain net.devh and for the starter's defaults, measured
 * in the same black hole, over plaintext and over TLS (a second server serving a certificate the
 * clients trust, black-holed at the same moment). Plus a quiet stream held 100 s against a server with grpc-java's default
 * ping policy: GOAWAYs received with the starter's defaults and with a 30 s HTTP/2 keepalive.
 */
final class DeadPeerDetectionBenchmark {

    private static final Duration CAP = Duration.ofSeconds(120);
    private static final Duration QUIET_STREAM = Duration.ofSeconds(100);
    private static final long POLL_MILLIS = 100;
    private static final List<String> CLIENTS = List.of("plain net.devh", "starter defaults");
    private static final List<String> CONNECTIONS = List.of("plaintext", "TLS");
    private static final List<String> CASES = List.of("stream", "idle channel");

    /** One measurement: seconds until noticed (empty when not within the cap) and what was seen. */
    record Sample(Double seconds, String seen) {
    }

    private DeadPeerDetectionBenchmark() {
    }

    static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 5;
        if (!KernelBlackHole.available()) {
            throw new IllegalStateException("needs root and nftables (apt-get install nftables)");
        }
        Map<String, List<Sample>> results = new LinkedHashMap<>();
        CompletableFuture<Map<String, String>> goAways = CompletableFuture.supplyAsync(DeadPeerDetectionBenchmark::quietStreams);
        for (int run = 1; run <= runs; run++) {
            System.out.printf("run %d of %d (up to %d s)%n", run, runs, CAP.toSeconds());
            oneRun().forEach((key, sample) -> results.computeIfAbsent(key, k -> new ArrayList<>()).add(sample));
        }
        String report = report(runs, results, goAways.get(QUIET_STREAM.toSeconds() + 60, TimeUnit.SECONDS));
        System.out.println(report);
        Path out = Path.of("target", "dead-peer.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /**
     * Two black holes engaged together, eight clients measured at once: {plain, starter} x
     * {plaintext, TLS} x {stream, idle}.
     */
    private static Map<String, Sample> oneRun() throws Exception {
        TestCertificates certificates = TestCertificates.generate();
        Server server = TestServers.start();
        Server tlsServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                certificates.serverCredentials(false)).addService(new TestServers.QuietService()).build().start();
        String[] tls = {"grpc.client.GLOBAL.address=static://127.0.0.1:" + tlsServer.getPort(),
            "grpc.client.GLOBAL.negotiation-type=TLS",
            "grpc.client.GLOBAL.security.trust-cert-collection=file:" + certificates.caCertificate()};
        Map<String, Sample> samples = new java.util.concurrent.ConcurrentHashMap<>();
        // one thread per measurement: each polls for up to the cap, and all must start at once
        ExecutorService measurers = Executors.newCachedThreadPool();
        try (KernelBlackHole blackHole = KernelBlackHole.forPort(server.getPort());
                KernelBlackHole tlsBlackHole = KernelBlackHole.forPort(tlsServer.getPort());
                ConfigurableApplicationContext plain = ClientContexts.plainNetDevh(server.getPort());
                ConfigurableApplicationContext starter = ClientContexts.withStarter(server.getPort());
                ConfigurableApplicationContext plainTls = ClientContexts.plainNetDevh(tlsServer.getPort(), tls);
                ConfigurableApplicationContext starterTls = ClientContexts.withStarter(tlsServer.getPort(), tls)) {
            Map<String, GrpcChannelFactory> configs = new LinkedHashMap<>();
            configs.put("plain net.devh | plaintext", plain.getBean(GrpcChannelFactory.class));
            configs.put("starter defaults | plaintext", starter.getBean(GrpcChannelFactory.class));
            configs.put("plain net.devh | TLS", plainTls.getBean(GrpcChannelFactory.class));
            configs.put("starter defaults | TLS", starterTls.getBean(GrpcChannelFactory.class));
            Map<String, CompletableFuture<Status>> streams = new LinkedHashMap<>();
            for (Map.Entry<String, GrpcChannelFactory> config : configs.entrySet()) {
                streams.put(config.getKey(), openQuietStream(config.getValue()));
                SimpleServiceGrpc.newBlockingStub(config.getValue().createChannel("idle"))
                        .withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
            }
            blackHole.engage();
            tlsBlackHole.engage();
            long engaged = System.nanoTime();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Map.Entry<String, GrpcChannelFactory> config : configs.entrySet()) {
                CompletableFuture<Status> stream = streams.get(config.getKey());
                all.add(CompletableFuture.runAsync(() -> samples.put(config.getKey() + " | stream",
                        measure(engaged, stream::isDone, () -> describe(stream.join()))), measurers));
                GrpcChannelFactory factory = config.getValue();
                all.add(CompletableFuture.runAsync(() -> samples.put(config.getKey() + " | idle channel",
                        measure(engaged, () -> factory.getConnectivityState().get("idle") != ConnectivityState.READY,
                                () -> "left READY for " + factory.getConnectivityState().get("idle"))), measurers));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(CAP.toSeconds() + 30, TimeUnit.SECONDS);
        } finally {
            measurers.shutdownNow();
            server.shutdownNow();
            tlsServer.shutdownNow();
        }
        Map<String, Sample> ordered = new LinkedHashMap<>();
        for (String client : CLIENTS) {
            for (String connection : CONNECTIONS) {
                for (String kind : CASES) {
                    String key = client + " | " + connection + " | " + kind;
                    ordered.put(key, samples.get(key));
                }
            }
        }
        return ordered;
    }

    /** Polls every 100 ms until the condition holds or the cap is reached. */
    private static Sample measure(long since, BooleanSupplier noticed, java.util.function.Supplier<String> seen) {
        long deadline = since + CAP.toNanos();
        while (System.nanoTime() < deadline) {
            if (noticed.getAsBoolean()) {
                return new Sample((System.nanoTime() - since) / 1e9, seen.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Sample(null, "not noticed within " + CAP.toSeconds() + " s");
    }

    private static String describe(Status status) {
        String description = status.getDescription() == null ? "" : ": " + status.getDescription();
        return status.getCode() + description;
    }

    private static CompletableFuture<Status> openQuietStream(GrpcChannelFactory factory) {
        return QuietStream.open(factory.createChannel("stream"));
    }

    /** (c): quiet streams held 100 s against a server with grpc-java's default ping policy. */
    private static Map<String, String> quietStreams() {
        Map<String, String> result = new LinkedHashMap<>();
        try {
            Server server = TestServers.start();
            try (ConfigurableApplicationContext defaults = ClientContexts.withStarter(server.getPort());
                    ConfigurableApplicationContext thirty = ClientContexts.withStarter(server.getPort(),
                            "grpc.resilience.client.defaults.keepalive.time=30s")) {
                CompletableFuture<Status> defaultStream = openQuietStream(defaults.getBean(GrpcChannelFactory.class));
                CompletableFuture<Status> thirtyStream = openQuietStream(thirty.getBean(GrpcChannelFactory.class));
                long start = System.nanoTime();
                while (System.nanoTime() - start < QUIET_STREAM.toNanos()) {
                    Thread.sleep(POLL_MILLIS * 10);
                }
                result.put("starter defaults (HTTP/2 keepalive 5m)", quietResult(defaults, defaultStream));
                result.put("starter with keepalive.time=30s", quietResult(thirty, thirtyStream));
            } finally {
                server.shutdownNow();
            }
        } catch (IOException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
        return result;
    }

    private static String quietResult(ConfigurableApplicationContext context, CompletableFuture<Status> stream) {
        long goAways = context.getBean(GoAwayRegistry.class).counts("stream").values().stream()
                .mapToLong(Long::longValue).sum();
        String state = stream.isDone() ? "stream died: " + describe(stream.join()) : "stream still open";
        return goAways + " GOAWAY; " + state;
    }

    private static String report(int runs, Map<String, List<Sample>> results, Map<String, String> quiet) {
        StringBuilder out = new StringBuilder();
        out.append("### Dead-peer detection (kernel black hole, ").append(runs).append(" runs, cap ")
                .append(CAP.toSeconds()).append(" s)\n\n");
        out.append("| client | connection | case | median s | max s | runs (s) | what the client saw |\n")
                .append("|---|---|---|---|---|---|---|\n");
        results.forEach((key, samples) -> {
            String[] parts = key.split(" \\| ");
            List<Double> seconds = samples.stream().map(Sample::seconds).toList();
            boolean allNoticed = seconds.stream().allMatch(value -> value != null);
            String median = allNoticed ? format(median(seconds)) : "not noticed";
            String max = allNoticed ? format(seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0))
                    : "> " + CAP.toSeconds();
            String each = String.join(", ", seconds.stream().map(v -> v == null ? ">" + CAP.toSeconds() : format(v)).toList());
            out.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ").append(parts[2]).append(" | ")
                    .append(median).append(" | ")
                    .append(max).append(" | ").append(each).append(" | ").append(samples.get(0).seen()).append(" |\n");
        });
        out.append("\n### Quiet stream held ").append(QUIET_STREAM.toSeconds())
                .append(" s against a server with default settings (permit 5 min)\n\n| client | result |\n|---|---|\n");
        quiet.forEach((client, result) -> out.append("| ").append(client).append(" | ").append(result).append(" |\n"));
        return out.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String format(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.1f", seconds);
    }
}
