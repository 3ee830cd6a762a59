package io.github.grpcresilience.boot4sample;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code interop-tests/src/test/peers/js/health-client.js} (the suite's one grpc-js client) run with
 * {@code node} from {@code target/js} (where the build copies it and the first client runs
 * {@code npm ci}): a grpc-js client of the control plane's health service, whose events (one
 * JSON line each, with the epoch milliseconds they happened at) the test reads as they come.
 */
final class GrpcJsClient implements AutoCloseable {

    /** Guarded by the class: {@link #install()} is synchronized. */
    private static boolean installed;
    private static final Path DIRECTORY = Path.of(System.getProperty("sample.js", "target/js"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One line of the script's output. */
    record Event(Instant at, String event, JsonNode fields) {

        String text(String field) {
            return fields.path(field).asString();
        }
    }

    private final Process process;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private GrpcJsClient(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "grpc-js-client-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code Watch(service)} until the stream ends. */
    static GrpcJsClient watch(int port, String service) {
        return start(List.of("watch", "127.0.0.1:" + port, service));
    }

    /** {@code Watch(service)} on a channel pinging every 10 s, for {@code duration}, then a summary. */
    static GrpcJsClient pingingWatch(int port, String service, Duration duration) {
        return start(List.of("ping", "127.0.0.1:" + port, service, Long.toString(duration.toSeconds())));
    }

    /** {@code Watch(service)} over TLS, the server checked against {@code ca}; no client certificate. */
    static GrpcJsClient watchOverTls(int port, String service, Path ca) {
        return start(List.of("watch", "127.0.0.1:" + port, service, "--ca=" + ca.toAbsolutePath()));
    }

    /** {@code Watch(service)} over mutual TLS: the server checked against {@code ca}, {@code chain} and {@code key} presented. */
    static GrpcJsClient watchOverMutualTls(int port, String service, Path ca, Path chain, Path key) {
        return start(List.of("watch", "127.0.0.1:" + port, service, "--ca=" + ca.toAbsolutePath(),
                "--cert=" + chain.toAbsolutePath(), "--key=" + key.toAbsolutePath()));
    }

    private static GrpcJsClient start(List<String> arguments) {
        install();
        List<String> command = new ArrayList<>(List.of("node", "health-client.js"));
        command.addAll(arguments);
        try {
            return new GrpcJsClient(new ProcessBuilder(command).directory(DIRECTORY.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException ex) {
            throw new UncheckedIOException("node (Node.js) is needed for the grpc-js tests; .ci/run installs it", ex);
        }
    }

    /**
     * Installs the client's locked dependencies once per test run ({@code npm ci}, from the npm
     * registry). Without Node.js and npm the test is skipped with the reason, as the kernel
     * black-hole tests are without nftables, except in CI ({@code CI=true}), where it fails.
     */
    private static synchronized void install() {
        if (installed) {
            return;
        }
        String reason = "the grpc-js tests need Node.js and npm (apt-get install nodejs npm)";
        if (!succeeds(Duration.ofSeconds(30), "node", "--version") || !succeeds(Duration.ofSeconds(30), "npm", "--version")) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; CI must run them");
            }
            Assumptions.abort(reason);
        }
        if (!succeeds(Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")) {
            fail("npm ci failed in %s (its errors are in the test's output)", DIRECTORY.toAbsolutePath());
        }
        installed = true;
    }

    private static boolean succeeds(Duration timeout, String... command) {
        try {
            // Never the test JVM's stdin or stdout: they are failsafe's channel to the fork, and node
            // makes an inherited stdin non-blocking ("[SUREFIRE] std/in stream corrupted ... Resource
            // temporarily unavailable" fails the build). npm reports its errors on stderr.
            Process process = new ProcessBuilder(command).directory(DIRECTORY.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void read() {
        try (BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = stdout.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                events.add(new Event(Instant.ofEpochMilli(node.get("at").asLong()), node.get("event").asString(), node));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    Optional<Event> first(Predicate<Event> matching) {
        return events.stream().filter(matching).findFirst();
    }

    /** The first event matching, waited for up to {@code timeout}. */
    Event await(String description, Predicate<Event> matching, Duration timeout) {
        try {
            Awaitility.await(description).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> first(matching).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException ex) {
            fail("grpc-js client: no %s within %s; events: %s (its stderr is in the test's output)", description,
                    timeout, events);
        }
        return first(matching).orElseThrow();
    }

    void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("grpc-js client still runs after %s; events: %s", timeout, events);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
