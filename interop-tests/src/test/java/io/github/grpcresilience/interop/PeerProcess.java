package io.github.grpcresilience.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A peer that is not grpc-java (a node, python3 or Go program) run as its own process: its stdout
 * lines are kept with the moment each arrived, so that a test can wait for one and line it up with
 * what it did; its stderr goes to a log file under {@code interop.work}. Closing it kills it.
 */
public final class PeerProcess implements AutoCloseable {

    /** The peers' sources ({@code src/test/peers}). */
    public static final Path PEERS = Path.of(System.getProperty("interop.peers", "src/test/peers"));
    /** Where tests build and log ({@code target/interop}). */
    public static final Path WORK = Path.of(System.getProperty("interop.work", "target/interop"));

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** One stdout line and when the test read it. */
    public record Line(Instant at, String text) {
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::read, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Skips the calling test where {@code command} is not on the PATH, naming the Debian package
     * that brings it; fails instead under {@code CI=true}, where {@code .ci/run} installs it.
     */
    public static void requireCommand(String command, String debianPackages) {
        if (onPath(command)) {
            return;
        }
        String reason = command + " is not installed (apt-get install " + debianPackages + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; CI must run these tests, and .ci/run installs it");
        }
        Assumptions.assumeTrue(false, reason);
    }

    /**
     * Like {@link #requireCommand} for a tool that is not just a command on the PATH (a library a
     * given interpreter must import, a source tree): skips the calling test when {@code present} is
     * false, naming the Debian packages that bring {@code tool}; fails instead under {@code CI=true}.
     */
    public static void requireTool(boolean present, String tool, String debianPackages) {
        if (present) {
            return;
        }
        String reason = tool + " is not installed (apt-get install " + debianPackages + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; CI must run these tests, and .ci/run installs it");
        }
        Assumptions.assumeTrue(false, reason);
    }

    /** Starts {@code command} in {@code directory}; its stderr goes to {@code WORK/logs/<name>.log}. */
    public static PeerProcess start(String name, Path directory, List<String> command, Map<String, String> environment) {
        try {
            Path log = WORK.resolve("logs").resolve(name + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new PeerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    /** Runs a build step to completion, failing the test with its output when it does not succeed. */
    public static void run(String what, Path directory, List<String> command, Map<String, String> environment,
            Duration timeout) {
        try {
            Path log = WORK.resolve("logs").resolve(what + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(what + " did not finish within " + timeout + ": " + command + "\n" + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                fail(what + " failed (exit " + process.exitValue() + "): " + command + "\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    /** Every stdout line so far. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The first stdout line matching {@code pattern}, waiting up to {@code timeout} for it. */
    public Matcher awaitLine(Pattern pattern, Duration timeout) {
        Awaitility.await(name + " printing " + pattern)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast(name + " exited (" + log + "): " + lines(), () -> !process.isAlive() && find(pattern).isEmpty())
                .until(() -> find(pattern).isPresent());
        return find(pattern).orElseThrow();
    }

    /** The first stdout line so far matching {@code pattern}. */
    public Optional<Matcher> find(Pattern pattern) {
        for (Line line : lines) {
            Matcher matcher = pattern.matcher(line.text());
            if (matcher.find()) {
                return Optional.of(matcher);
            }
        }
        return Optional.empty();
    }

    /** The moment the first line matching {@code pattern} was read, if one was. */
    public Optional<Instant> timeOf(Pattern pattern) {
        return lines.stream().filter(line -> pattern.matcher(line.text()).find()).map(Line::at).findFirst();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", stderr in " + log + ")";
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(new Line(Instant.now(), line));
            }
        } catch (IOException e) {
            // the process ended; what it printed is kept
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}
