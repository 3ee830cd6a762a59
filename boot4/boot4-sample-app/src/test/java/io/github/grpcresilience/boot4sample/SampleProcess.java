package io.github.grpcresilience.boot4sample;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample's jar started as an operator starts it, {@code java -jar <jar> <arguments>}, with the
 * {@code java} that runs the tests; its output in {@code target/sample-processes/}. Closing kills it
 * if it still runs. (The drop-in tests' {@code AppProcess} does the same for users' applications;
 * test code is not shared between the modules.)
 */
final class SampleProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** Spring gRPC's {@code GrpcServerLifecycle} line once the server listens. */
    static final Pattern GRPC_STARTED =
            Pattern.compile("(?m)^(\\S+) .*gRPC Server started, listening on address: \\S+, port: (\\d+)");
    private static final Pattern STARTED = Pattern.compile("Started \\S+ in [0-9.]+ seconds");
    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample.jar"));
    private static final Path WORK = Path.of(System.getProperty("sample.work", "target/sample-processes"));
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Every process still running; killed when the test JVM ends, however it ends. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "sample-processes-killer"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private SampleProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts the jar with {@code arguments}; {@code role} names its log. */
    static SampleProcess start(String role, List<String> arguments) {
        String name = role + "-" + RUNS.incrementAndGet();
        Path log = WORK.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        command.addAll(arguments);
        try {
            Files.createDirectories(WORK);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // Nothing from the build's environment may change the application (a CI job in
            // Kubernetes would otherwise switch Boot's cloud platform on).
            builder.environment().keySet().removeIf(key -> key.startsWith("KUBERNETES_")
                    || key.startsWith("SPRING_") || key.startsWith("MANAGEMENT_") || key.startsWith("GRPC_")
                    || key.startsWith("SERVER_") || key.equals("JAVA_TOOL_OPTIONS") || key.equals("JDK_JAVA_OPTIONS"));
            Files.writeString(log, "");
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenAccept(RUNNING::remove);
            return new SampleProcess(name, process, log);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Waits for Boot's "Started X in N seconds" line; fails at once if the process exits. */
    SampleProcess awaitStarted() {
        awaitLog(STARTED);
        return this;
    }

    Matcher awaitLog(Pattern pattern) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                return matcher;
            }
            if (!process.isAlive()) {
                fail("%s exited with %d before its log showed /%s/; log: %s", name, process.exitValue(), pattern, log);
            }
            if (System.nanoTime() > deadline) {
                fail("%s: no /%s/ in its log within %s; log: %s", name, pattern, START_TIMEOUT, log);
            }
            sleep(100);
        }
    }

    /** When the gRPC server started listening, from its log line's timestamp (Boot's console format). */
    Instant grpcServerStartedAt() {
        return OffsetDateTime.parse(awaitLog(GRPC_STARTED).group(1)).toInstant();
    }

    int httpPort() {
        return Integer.parseInt(awaitLog(HTTP_PORT).group(1));
    }

    /** SIGTERM, as Kubernetes sends it; Boot shuts down gracefully. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process dies without a word to its peers (the kernel closes its sockets). */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("%s still runs after %s; log: %s", name, timeout, log);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (log: " + log + ")";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
