package io.github.grpcresilience.benchmarks;

import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stream recovery. (a) One subscription stream from the starter (its {@link StreamSupervisor},
 * defaults) and one from plain net.devh with the re-subscribe loop applications usually write
 * (on error, subscribe again after 1 s), both open on one echo server; the server is stopped, kept
 * down for 1 s, 10 s or 60 s and started again on the same port; measured: seconds from the
 * server being ready to the first message on the re-established stream. (b) Reconnect storm:
 * 10,000 streams over one channel, server restart; seconds until all are back, and heap per stream.
 */
final class StreamRecoveryBenchmark {

    private static final long CAP_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long RESUBSCRIBE_DELAY_MILLIS = 1000;
    private static final int STORM_STREAMS = 10_000;
    private static final SimpleRequest HELLO = SimpleRequest.newBuilder().setRequestMessage("hello").build();

    private StreamRecoveryBenchmark() {
    }

    static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 3;
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, List<Double>> recovery = new LinkedHashMap<>();
        for (int downtime : new int[] {1, 10, 60}) {
            for (int run = 1; run <= runs; run++) {
                System.out.printf("recovery: %d s down, run %d of %d%n", downtime, run, runs);
                double[] seconds = recoveryRun(port, downtime);
                recovery.computeIfAbsent("starter defaults | " + downtime, k -> new ArrayList<>()).add(seconds[0]);
                recovery.computeIfAbsent("plain net.devh + 1 s re-subscribe loop | " + downtime,
                        k -> new ArrayList<>()).add(seconds[1]);
            }
        }
        System.out.println("storm: starter");
        double[] starterStorm = storm(port, true);
        System.out.println("storm: plain net.devh + loop");
        double[] plainStorm = storm(port, false);
        String report = report(runs, recovery, starterStorm, plainStorm);
        System.out.println(report);
        Path out = Path.of("target", "stream-recovery.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** Returns {starter, plain} seconds from server ready to the first message on the new stream. */
    private static double[] recoveryRun(int port, int downtimeSeconds) throws Exception {
        Server server = startServer(port);
        ScheduledExecutorService loopScheduler = Executors.newSingleThreadScheduledExecutor();
        try (ConfigurableApplicationContext starter = ClientContexts.withStarter(port);
                ConfigurableApplicationContext plain = ClientContexts.plainNetDevh(port)) {
            AtomicLong starterLast = new AtomicLong();
            ResilientStream<SimpleRequest, SimpleResponse> stream = starter.getBean(StreamSupervisor.class)
                    .<SimpleRequest, SimpleResponse>bidi("subscription", "echo")
                    .open(SimpleServiceGrpc.newStub(starter.getBean(GrpcChannelFactory.class).createChannel("echo"))
                            ::bidiStreamingRpc)
                    .onReconnect(out -> out.send(HELLO))
                    .onMessage(message -> starterLast.set(System.nanoTime()))
                    .start();
            ResubscribeLoop loop = new ResubscribeLoop(SimpleServiceGrpc.newStub(
                    plain.getBean(GrpcChannelFactory.class).createChannel("echo")), loopScheduler);
            loop.subscribe();
            waitUntil(() -> starterLast.get() > 0 && loop.lastMessage.get() > 0, TimeUnit.SECONDS.toNanos(10));

            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            waitUntil(() -> stream.state() != StreamState.HEALTHY, TimeUnit.SECONDS.toNanos(10));
            Thread.sleep(TimeUnit.SECONDS.toMillis(downtimeSeconds));
            server = startServer(port);
            long ready = System.nanoTime();
            waitUntil(() -> starterLast.get() > ready && loop.lastMessage.get() > ready, CAP_NANOS);
            return new double[] {seconds(starterLast.get(), ready), seconds(loop.lastMessage.get(), ready)};
        } finally {
            loopScheduler.shutdownNow();
            server.shutdownNow();
        }
    }

    /** Returns {seconds until all streams are back, heap bytes per stream}. */
    private static double[] storm(int port, boolean withStarter) throws Exception {
        Server server = startServer(port);
        ScheduledExecutorService loopScheduler = Executors.newSingleThreadScheduledExecutor();
        try (ConfigurableApplicationContext context = withStarter ? ClientContexts.withStarter(port)
                : ClientContexts.plainNetDevh(port)) {
            SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(
                    context.getBean(GrpcChannelFactory.class).createChannel("echo"));
            long heapBefore = usedHeap();
            Map<String, long[]> histogramBefore = histogram();
            List<AtomicLong> lastMessages = new ArrayList<>();
            List<Object> keep = new ArrayList<>();
            for (int i = 0; i < STORM_STREAMS; i++) {
                AtomicLong last = new AtomicLong();
                lastMessages.add(last);
                if (withStarter) {
                    keep.add(context.getBean(StreamSupervisor.class).<SimpleRequest, SimpleResponse>bidi("s" + i, "echo")
                            .open(stub::bidiStreamingRpc).onReconnect(out -> out.send(HELLO))
                            .onMessage(message -> last.set(System.nanoTime())).start());
                } else {
                    ResubscribeLoop loop = new ResubscribeLoop(stub, loopScheduler, last);
                    loop.subscribe();
                    keep.add(loop);
                }
            }
            waitUntil(() -> lastMessages.stream().allMatch(last -> last.get() > 0), CAP_NANOS);
            double perStream = (usedHeap() - heapBefore) / (double) STORM_STREAMS;
            System.out.println(histogramDiff(histogramBefore, histogram(), withStarter ? "starter" : "plain loop"));

            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            Thread.sleep(1000);
            server = startServer(port);
            long ready = System.nanoTime();
            boolean all = waitUntil(() -> lastMessages.stream().allMatch(last -> last.get() > ready), CAP_NANOS);
            long latest = lastMessages.stream().mapToLong(AtomicLong::get).max().orElse(ready);
            return new double[] {all ? seconds(latest, ready) : Double.NaN, perStream, keep.size()};
        } finally {
            loopScheduler.shutdownNow();
            server.shutdownNow();
        }
    }

    /** What applications usually write: on error, subscribe again after a fixed delay. */
    private static final class ResubscribeLoop {
        private final SimpleServiceGrpc.SimpleServiceStub stub;
        private final ScheduledExecutorService scheduler;
        final AtomicLong lastMessage;

        ResubscribeLoop(SimpleServiceGrpc.SimpleServiceStub stub, ScheduledExecutorService scheduler) {
            this(stub, scheduler, new AtomicLong());
        }

        ResubscribeLoop(SimpleServiceGrpc.SimpleServiceStub stub, ScheduledExecutorService scheduler,
                AtomicLong lastMessage) {
            this.stub = stub;
            this.scheduler = scheduler;
            this.lastMessage = lastMessage;
        }

        void subscribe() {
            stub.bidiStreamingRpc(new StreamObserver<SimpleResponse>() {
                @Override
                public void onNext(SimpleResponse value) {
                    lastMessage.set(System.nanoTime());
                }

                @Override
                public void onError(Throwable t) {
                    if (!scheduler.isShutdown()) {
                        scheduler.schedule(ResubscribeLoop.this::subscribe, RESUBSCRIBE_DELAY_MILLIS,
                                TimeUnit.MILLISECONDS);
                    }
                }

                @Override
                public void onCompleted() {
                }
            }).onNext(HELLO);
        }
    }

    private static Server startServer(int port) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new CallPathOverheadBenchmark.EchoService()).build().start();
    }

    /** Polls every 10 ms; returns whether the condition held before the timeout. */
    private static boolean waitUntil(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The live-object class histogram ({@code jcmd <pid> GC.class_histogram}, through the
     * DiagnosticCommand MBean, after a full GC): class name to {instances, bytes}.
     */
    static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                classes.put(parts[3], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
            }
        }
        return classes;
    }

    /** The classes that grew most while the streams were opened, per stream, as a markdown table. */
    static String histogramDiff(Map<String, long[]> before, Map<String, long[]> after, String client) {
        record Row(String name, long instances, long bytes) {
        }
        List<Row> rows = new ArrayList<>();
        after.forEach((name, now) -> {
            long[] was = before.getOrDefault(name, new long[2]);
            rows.add(new Row(name, now[0] - was[0], now[1] - was[1]));
        });
        rows.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        long total = rows.stream().mapToLong(Row::bytes).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nHeap histogram growth, %s, %d streams (total %.0f bytes per stream):%n%n"
                        + "| class | instances per stream | bytes per stream |%n|---|---|---|%n", client, STORM_STREAMS,
                total / (double) STORM_STREAMS));
        rows.stream().limit(30).forEach(row -> out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.0f |%n",
                row.name(), row.instances() / (double) STORM_STREAMS, row.bytes() / (double) STORM_STREAMS)));
        return out.toString();
    }

    private static double seconds(long at, long since) {
        return at > since ? (at - since) / 1e9 : Double.NaN;
    }

    private static String report(int runs, Map<String, List<Double>> recovery, double[] starter, double[] plain) {
        StringBuilder out = new StringBuilder("### Stream recovery (" + runs
                + " runs per downtime; seconds from server ready to the first message on the new stream)\n\n"
                + "| client | downtime s | median s | max s | runs (s) |\n|---|---|---|---|---|\n");
        recovery.forEach((key, values) -> {
            String[] parts = key.split(" \\| ");
            List<Double> sorted = values.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            out.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s |%n", parts[0], parts[1], median,
                    sorted.get(sorted.size() - 1), String.join(", ",
                            values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList())));
        });
        out.append(String.format(Locale.ROOT, "%n### Reconnect storm (%d streams over one channel, server down 1 s)%n%n"
                + "| client | all back after s | heap per stream |%n|---|---|---|%n"
                + "| starter (StreamSupervisor) | %.2f | %.0f bytes |%n| plain net.devh + 1 s re-subscribe loop | %.2f | %.0f bytes |%n",
                STORM_STREAMS, starter[0], starter[1], plain[0], plain[1]));
        return out.toString();
    }
}
