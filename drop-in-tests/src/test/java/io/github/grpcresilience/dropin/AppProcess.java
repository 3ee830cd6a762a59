package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One application started as a user starts it: {@code java -jar app.jar <deployment arguments>},
 * with the {@code java} that runs the tests, its output in {@code target/drop-in/logs/}. Closing
 * kills it if it still runs.
 */
final class AppProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Boot's exit code after SIGTERM: the JVM runs the shutdown hooks, then exits with 128 + 15. */
    static final int SIGTERM_EXIT_CODE = 143;

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in [0-9.]+ seconds");
    private static final Pattern GRPC_PORT =
            Pattern.compile("gRPC Server started, listening on address: \\S+, port: (\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("(?:Tomcat|Netty) started on port (\\d+)");
    /**
     * A log line at level WARN or ERROR in Boot's default console format (or Logback's format
     * before Boot's logging is set up), or any stack trace line.
     */
    private static final Pattern TROUBLE = Pattern.compile(
            "^\\S+\\s+(WARN|ERROR)\\s|^\\S+ \\[[^]]+\\] (WARN|ERROR) |^\\s+at [\\w$.]+\\(|^Caused by: ");
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Every application still running; killed when the test JVM ends, however it ends. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "drop-in-apps-killer"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static AppProcess start(String app, List<String> arguments) {
        return start(app, arguments, Map.of());
    }

    static AppProcess start(String app, List<String> arguments, Map<String, String> environment) {
        Path jar = DropInApps.jar(app);
        String name = app + "-" + RUNS.incrementAndGet();
        Path log = DropInApps.WORK.resolve("logs").resolve(name + ".log");
        Path directory = DropInApps.WORK.resolve("run").resolve(name);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // JVM options a deployment might use on a small machine; no application behaviour changes.
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(directory);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Nothing from the environment of the build may change the application: a CI job that
            // itself runs in Kubernetes would otherwise switch the probes on.
            builder.environment().keySet().removeIf(key -> key.startsWith("KUBERNETES_")
                    || key.startsWith("SPRING_") || key.startsWith("MANAGEMENT_") || key.startsWith("GRPC_")
                    || key.startsWith("SERVER_") || key.equals("JAVA_TOOL_OPTIONS") || key.equals("JDK_JAVA_OPTIONS"));
            builder.environment().putAll(environment);
            Files.writeString(log, "");
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenAccept(RUNNING::remove);
            return new AppProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free on 127.0.0.1 now, for an application whose own client must know its server's port. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for Boot's "Started X in N seconds" line; fails at once if the process exits. */
    AppProcess awaitStarted() {
        awaitLog(STARTED);
        return this;
    }

    Matcher awaitLog(Pattern pattern) {
        return awaitLog(pattern, START_TIMEOUT);
    }

    Matcher awaitLog(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            Matcher matcher = pattern.matcher(text);
            if (matcher.find()) {
                return matcher;
            }
            if (!process.isAlive()) {
                fail("%s exited with %d before its log showed /%s/; %s", name, process.exitValue(), pattern,
                        DropInApps.tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail("%s: no /%s/ in its log within %s; %s", name, pattern, timeout, DropInApps.tail(log));
            }
            sleep(100);
        }
    }

    int grpcPort() {
        return Integer.parseInt(awaitLog(GRPC_PORT).group(1));
    }

    int httpPort() {
        return Integer.parseInt(awaitLog(HTTP_PORT).group(1));
    }

    /** Waits for the process to end by itself (a failed start) and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("%s still runs after %s; %s", name, timeout, DropInApps.tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /**
     * SIGTERM (what {@code Process.destroy()} sends on Linux, and what Kubernetes sends), then
     * asserts the process ended within {@link #STOP_TIMEOUT} with 0 or 143 and that its whole log
     * holds no WARN or ERROR line and no exception.
     */
    void stopCleanly() {
        stopCleanly(Pattern.compile("(?!)"));
    }

    /** As {@link #stopCleanly()}, with the WARN lines the test provoked on purpose ({@code expected}) allowed. */
    void stopCleanly(Pattern expected) {
        process.destroy();
        int exitCode = awaitExit(STOP_TIMEOUT);
        assertThat(exitCode).as("exit code of %s after SIGTERM; %s", name, DropInApps.tail(log))
                .isIn(0, SIGTERM_EXIT_CODE);
        assertNoTrouble(expected);
    }

    void assertNoTrouble() {
        assertNoTrouble(Pattern.compile("(?!)"));
    }

    private void assertNoTrouble(Pattern expected) {
        List<String> trouble = log().lines().filter(line -> TROUBLE.matcher(line).find())
                .filter(line -> !expected.matcher(line).find()).toList();
        assertThat(trouble).as("WARN and ERROR lines and exceptions in the log of %s (%s)", name, log).isEmpty();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
