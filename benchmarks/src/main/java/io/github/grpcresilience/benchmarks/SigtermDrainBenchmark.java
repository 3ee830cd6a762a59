package io.github.grpcresilience.benchmarks;

import io.github.grpcresilience.serverhealth.ServerWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIGTERM drain: a Spring Boot server JVM ({@link DrainServerApplication}, with the starter or
 * plain net.devh) gets SIGTERM while a client on loopback watches {@code Watch("")} and sends 50
 * unary calls/s. Measured from the SIGTERM: when NOT_SERVING reaches the watcher, when the first
 * GOAWAY arrives, when and how the watch ends, when the process exits, and how the calls started
 * after the SIGTERM fared.
 */
final class SigtermDrainBenchmark {

    private static final Duration OBSERVE = Duration.ofSeconds(45);
    private static final long CALL_INTERVAL_MILLIS = 20;

    private SigtermDrainBenchmark() {
    }

    static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 1;
        StringBuilder report = new StringBuilder("# SIGTERM drain\n\n")
                .append(String.format("Spring Boot server JVM with net.devh defaults, %s; client on loopback: "
                        + "Watch(\"\") and 50 unary calls/s; times from SIGTERM; %d run(s); %s, %d cores, Java %s%n%n",
                        "starter vs starter switched off (plain net.devh)", runs, System.getProperty("os.name"),
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")))
                .append("| run | server | NOT_SERVING seen | first GOAWAY | watch ended | process exited "
                        + "| calls after SIGTERM: ok / failed | last ok call started |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (int run = 1; run <= runs; run++) {
            for (String mode : new String[] {"starter", "plain"}) {
                String row = measure(mode);
                report.append("| ").append(run).append(" | ")
                        .append(mode.equals("starter") ? "starter defaults" : "plain net.devh").append(" | ")
                        .append(row).append(" |\n");
                System.out.printf("run %d %s: %s%n", run, mode, row);
            }
        }
        System.out.println(report);
        Path out = Path.of("target", "sigterm-drain.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static String measure(String mode) throws Exception {
        int port = ChildJvm.freePort();
        ChildJvm server = ChildJvm.start(DrainServerApplication.class.getName(), mode, String.valueOf(port));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (ServerWatcher client = new ServerWatcher(port)) {
            server.await("READY");
            client.watch("");
            String first = client.next(Duration.ofSeconds(10)).what();
            if (!first.equals("SERVING")) {
                throw new IllegalStateException(mode + ": Watch(\"\") started with " + first);
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
            return String.join(" | ", notServing, goAway, watchEnded, exited, ok.get() + " / " + failed.get(),
                    lastOk);
        } finally {
            caller.shutdownNow();
            server.process.destroyForcibly();
        }
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
