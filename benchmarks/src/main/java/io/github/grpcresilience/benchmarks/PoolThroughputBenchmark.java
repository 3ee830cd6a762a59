package io.github.grpcresilience.benchmarks;

import io.grpc.Channel;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 1,000 concurrent server-streaming calls against a server that lets each connection carry 100
 * streams at once ({@code maxConcurrentCallsPerConnection=100}), as many proxies and servers do.
 * Each call receives {@value #MESSAGES} messages {@value #SPACING_MILLIS} ms apart (the server
 * waits on a timer, not a thread), so a call is about 100 ms of the server's time and what limits
 * throughput is how many calls run at once, not the CPU. Each of the 1,000 callers starts its next
 * call when the last one ends.
 *
 * <p>Clients, in the same run against the same server: plain net.devh (one channel, so one
 * connection: calls beyond 100 queue on the client) and the starter with
 * {@code pool.max-size=16} (defaults otherwise: grows above 80 calls per connection). After a
 * {@value #WARMUP_SECONDS} s warm-up (the pool grows during it), calls that end within the next
 * {@value #MEASURE_SECONDS} s count: throughput is calls per second, latency is each call's time
 * from start to its last message.
 */
final class PoolThroughputBenchmark {

    static final int CALLERS = 1_000;
    static final int STREAMS_PER_CONNECTION = 100;
    static final int MESSAGES = 4;
    static final long SPACING_MILLIS = 25;
    static final int WARMUP_SECONDS = 5;
    static final int MEASURE_SECONDS = 10;

    private PoolThroughputBenchmark() {
    }

    record Result(String client, double callsPerSecond, double p50Millis, double p99Millis, long failed) {
    }

    static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 3;
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrentCallsPerConnection(STREAMS_PER_CONNECTION).addService(new SpacedStreams(timer))
                .build().start();
        List<Result> results = new ArrayList<>();
        try {
            for (int run = 1; run <= runs; run++) {
                System.out.printf("pool: run %d of %d%n", run, runs);
                results.add(measure("plain net.devh (1 channel)", server.getPort(), ClientContexts::plainNetDevh));
                results.add(measure("starter, pool max-size 16", server.getPort(),
                        (port, props) -> ClientContexts.withStarter(port,
                                "grpc.resilience.client.channels.bench.pool.max-size=16")));
            }
        } finally {
            server.shutdownNow();
            timer.shutdownNow();
        }
        String report = report(runs, results);
        System.out.println(report);
        Path out = Path.of("target", "pool.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static Result measure(String client, int port,
            BiFunction<Integer, String[], ConfigurableApplicationContext> context) throws Exception {
        try (ConfigurableApplicationContext app = context.apply(port, new String[0])) {
            Channel channel = app.getBean(GrpcChannelFactory.class).createChannel("bench");
            Load load = new Load(channel);
            load.start();
            TimeUnit.SECONDS.sleep(WARMUP_SECONDS);
            load.measuring(true);
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(MEASURE_SECONDS);
            load.measuring(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            load.stop();
            long[] latencies = load.latencies();
            Arrays.sort(latencies);
            Result result = new Result(client, latencies.length / seconds, percentile(latencies, 0.50),
                    percentile(latencies, 0.99), load.failed());
            System.out.printf(Locale.ROOT, "  %s: %.0f calls/s, p50 %.0f ms, p99 %.0f ms, %d failed%n", client,
                    result.callsPerSecond(), result.p50Millis(), result.p99Millis(), result.failed());
            return result;
        }
    }

    private static double percentile(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    /** The callers: each starts its next call when the last one ends, until stopped. */
    private static final class Load {
        private final SimpleServiceGrpc.SimpleServiceStub stub;
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicInteger failed = new AtomicInteger();
        private final CountDownLatch stopped = new CountDownLatch(CALLERS);
        private volatile boolean measuring;
        private volatile boolean running = true;

        Load(Channel channel) {
            this.stub = SimpleServiceGrpc.newStub(channel);
        }

        void start() {
            for (int i = 0; i < CALLERS; i++) {
                call();
            }
        }

        private void call() {
            if (!running) {
                stopped.countDown();
                return;
            }
            long start = System.nanoTime();
            stub.serverStreamingRpc(SimpleRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(SimpleResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    if (measuring) {
                        failed.incrementAndGet();
                    }
                    call();
                }

                @Override
                public void onCompleted() {
                    if (measuring) {
                        latencies.add(System.nanoTime() - start);
                    }
                    call();
                }
            });
        }

        void measuring(boolean on) {
            measuring = on;
        }

        void stop() throws InterruptedException {
            running = false;
            stopped.await(60, TimeUnit.SECONDS);
        }

        long[] latencies() {
            return latencies.stream().mapToLong(Long::longValue).toArray();
        }

        long failed() {
            return failed.get();
        }
    }

    /** Server streaming: {@value #MESSAGES} messages, {@value #SPACING_MILLIS} ms apart, on a timer. */
    private static final class SpacedStreams extends SimpleServiceGrpc.SimpleServiceImplBase {
        private final ScheduledExecutorService timer;

        SpacedStreams(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        @Override
        public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            send(responses, 0);
        }

        private void send(StreamObserver<SimpleResponse> responses, int sent) {
            timer.schedule(() -> {
                try {
                    responses.onNext(SimpleResponse.newBuilder().setResponseMessage("m" + sent).build());
                    if (sent + 1 == MESSAGES) {
                        responses.onCompleted();
                    } else {
                        send(responses, sent + 1);
                    }
                } catch (RuntimeException cancelled) {
                    // the client went away (end of a measurement); nothing to send to
                }
            }, SPACING_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static String report(int runs, List<Result> results) {
        StringBuilder out = new StringBuilder("### Channel pool (" + runs + " runs; " + CALLERS
                + " concurrent server-streaming calls of " + MESSAGES + " messages " + SPACING_MILLIS
                + " ms apart; server maxConcurrentCallsPerConnection=" + STREAMS_PER_CONNECTION + "; "
                + MEASURE_SECONDS + " s measured after " + WARMUP_SECONDS + " s warm-up)\n\n"
                + "| run | client | calls/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            out.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %d |%n", i / 2 + 1, r.client(),
                    r.callsPerSecond(), r.p50Millis(), r.p99Millis(), r.failed()));
        }
        for (int i = 0; i + 1 < results.size(); i += 2) {
            Result plain = results.get(i);
            Result pool = results.get(i + 1);
            out.append(String.format(Locale.ROOT, "%nrun %d: throughput x%.1f, p99 x%.2f (pool vs one channel)",
                    i / 2 + 1, pool.callsPerSecond() / plain.callsPerSecond(), pool.p99Millis() / plain.p99Millis()));
        }
        return out.append('\n').toString();
    }
}
