package io.github.grpcresilience.boot4.benchmarks;

import io.github.grpcresilience.serverhealth.ServerWatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIGTERM drain on Spring Boot 4.1: a side's server JVM ({@link DrainServer}) gets SIGTERM while a
 * client on loopback watches {@code Watch("")} and sends 50 unary calls/s. Measured from the
 * SIGTERM: when NOT_SERVING reaches the watcher, when the first GOAWAY arrives, when and how the
 * watch ends, when the process exits, and how the calls started after the SIGTERM fared.
 */
final class Boot4SigtermDrainBenchmark {

    private static final Duration OBSERVE = Duration.ofSeconds(45);
    private static final long CALL_INTERVAL_MILLIS = 20;

    private Boot4SigtermDrainBenchmark() {
    }

    static String run(int runs) throws Exception {
        StringBuilder report = new StringBuilder(String.format("### SIGTERM drain on Spring Boot 4.1 (%d run(s); "
                + "times from SIGTERM; client on loopback: Watch(\"\") and 50 unary calls/s)%n%n", runs))
                .append("| run | server | NOT_SERVING seen | first GOAWAY | watch ended | process exited "
                        + "| calls after SIGTERM: ok / failed | last ok call started |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (int run = 1; run <= runs; run++) {
            for (Side side : Side.selected()) {
                String row = measure(side);
                report.append("| ").append(run).append(" | ").append(side.label).append(" | ").append(row).append(" |\n");
                System.out.printf("sigterm-drain: run %d %s: %s%n", run, side.label, row);
            }
        }
        return report.toString();
    }

    private static String measure(Side side) throws Exception {
        int port = freePort();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (SideJvm server = SideJvm.start(side, DrainServer.class, String.valueOf(port));
                ServerWatcher client = new ServerWatcher(port)) {
            server.await("READY", Duration.ofSeconds(90));
            client.watch("");
            String first = client.next(Duration.ofSeconds(10)).what();
            if (!first.equals("SERVING")) {
                throw new IllegalStateException(side.label + ": Watch(\"\") started with " + first);
            }
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicLong lastOkStarted = new AtomicLong(-1);
            long sigterm = System.nanoTime();
            server.process.destroy();
            CompletableFuture<Long> exitedAt = server.process.onExit().thenApply(process -> System.nanoTime());
            caller.execute(() -> {
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() - sigterm < OBSERVE.toNanos()) {
                    long started = System.nanoTime();
                    try {
                        client.echo("x");
                        ok.incrementAndGet();
                        lastOkStarted.set(started);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                    try {
                        Thread.sleep(CALL_INTERVAL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            String notServing = "never";
            String goAway = "never";
            String watchEnded = "not within " + OBSERVE.toSeconds() + " s";
            long deadline = sigterm + OBSERVE.toNanos();
            while (System.nanoTime() < deadline) {
                ServerWatcher.Event event;
                try {
                    event = client.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (AssertionError timeout) {
                    break;
                }
                String at = millis(event.nanoTime() - sigterm);
                if (event.what().equals("NOT_SERVING") && notServing.equals("never")) {
                    notServing = at;
                } else if (event.what().equals("GOAWAY") && goAway.equals("never")) {
                    goAway = at;
                } else if (event.what().startsWith("WATCH_ENDED")) {
                    watchEnded = at + " (" + event.what().substring("WATCH_ENDED ".length()) + ")";
                }
                if (!goAway.equals("never") && watchEnded.endsWith(")")) {
                    break;
                }
            }
            String exited;
            try {
                exited = millis(exitedAt.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) - sigterm);
            } catch (TimeoutException e) {
                exited = "not within " + OBSERVE.toSeconds() + " s";
            }
            caller.shutdownNow();
            caller.awaitTermination(10, TimeUnit.SECONDS);
            String lastOk = lastOkStarted.get() < 0 ? "none" : millis(lastOkStarted.get() - sigterm);
            return String.join(" | ", notServing, goAway, watchEnded, exited, ok.get() + " / " + failed.get(), lastOk);
        } finally {
            caller.shutdownNow();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
