package io.github.grpcresilience.interop.js;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grpcresilience.interop.PeerProcess;
import io.github.grpcresilience.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code src/test/peers/js/health-client.js}, the suite's grpc-js client, run with {@code node}
 * from a copy under {@code interop.work} where the first client runs {@code npm ci} for its
 * committed lockfile. Its events are JSON lines, each with the epoch milliseconds it happened at,
 * read as they come.
 */
final class GrpcJsClient implements AutoCloseable {

    private static final Path SOURCES = PeerProcess.PEERS.resolve("js");
    private static final Path DIRECTORY = PeerProcess.WORK.resolve("js");
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Guarded by the class: {@link #install()} is synchronized. */
    private static boolean installed;

    /** One line of the client's output: {@code event} is its kind, {@code fields} the whole line. */
    record Event(Instant at, String event, JsonNode fields) {

        String text(String field) {
            return fields.path(field).asText();
        }

        int number(String field) {
            return fields.path(field).asInt();
        }

        boolean is(String kind) {
            return event.equals(kind);
        }

        boolean is(String kind, String service) {
            return is(kind) && text("service").equals(service);
        }
    }

    /** The client's TLS: the CA it checks the server against and the certificate it presents. */
    record MutualTls(Path ca, Path certificateChain, Path privateKey) {

        static MutualTls of(TestCertificates certificates) {
            return new MutualTls(certificates.caCertificate(), certificates.clientCertificateChain(),
                    certificates.clientPrivateKey());
        }

        List<String> arguments() {
            return List.of("--ca=" + ca.toAbsolutePath(), "--cert=" + certificateChain.toAbsolutePath(),
                    "--key=" + privateKey.toAbsolutePath());
        }
    }

    private final PeerProcess process;

    private GrpcJsClient(PeerProcess process) {
        this.process = process;
    }

    /** One {@code Check} per service; the client exits once all answered. {@code tls} null: plaintext. */
    static GrpcJsClient check(int port, MutualTls tls, List<String> services) {
        return start("check", port, tls, services);
    }

    /** One {@code Watch} per service on one channel; the client exits once all ended. {@code tls} null: plaintext. */
    static GrpcJsClient watch(int port, MutualTls tls, List<String> services) {
        return start("watch", port, tls, services);
    }

    /** {@code Watch(service)} on a channel pinging every 10 s, for {@code duration}, then a summary. */
    static GrpcJsClient pingingWatch(int port, String service, Duration duration) {
        return start("ping", port, null, List.of(service, Long.toString(duration.toSeconds())));
    }

    /** A channel pinging every 10 s, connected but with no call, for {@code duration}, then a summary. */
    static GrpcJsClient pingingIdle(int port, Duration duration) {
        return start("idle-ping", port, null, List.of(Long.toString(duration.toSeconds())));
    }

    private static GrpcJsClient start(String mode, int port, MutualTls tls, List<String> arguments) {
        install();
        List<String> command = new ArrayList<>(List.of("node", "health-client.js", mode, "127.0.0.1:" + port));
        command.addAll(arguments);
        if (tls != null) {
            command.addAll(tls.arguments());
        }
        String name = "grpc-js-" + mode + "-" + CLIENTS.incrementAndGet();
        return new GrpcJsClient(PeerProcess.start(name, DIRECTORY, command, Map.of()));
    }

    /**
     * Copies the client to {@code interop.work/js} and installs its locked dependencies there
     * ({@code npm ci}, from the npm registry), once per test JVM. Without Node.js or npm the test is
     * skipped with the reason, and fails in CI.
     */
    private static synchronized void install() {
        if (installed) {
            return;
        }
        PeerProcess.requireCommand("node", "nodejs");
        PeerProcess.requireCommand("npm", "npm");
        copySources();
        PeerProcess.run("grpc-js-npm-ci", DIRECTORY,
                List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), NPM_CI_TIMEOUT);
        installed = true;
    }

    private static void copySources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = SOURCES.relativize(source);
                if (relative.startsWith("node_modules")) {
                    continue;
                }
                Path target = DIRECTORY.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the grpc-js client from " + SOURCES, e);
        }
    }

    /** Every event so far. */
    List<Event> events() {
        return process.lines().stream().map(GrpcJsClient::parse).toList();
    }

    Optional<Event> first(Predicate<Event> matching) {
        return events().stream().filter(matching).findFirst();
    }

    /** The first event matching, waited for up to {@code timeout}; fails with every event when none comes. */
    Event await(String description, Predicate<Event> matching, Duration timeout) {
        try {
            Awaitility.await(description).atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .failFast("the grpc-js client exited", () -> !process.isAlive() && first(matching).isEmpty())
                    .until(() -> first(matching).isPresent());
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            fail("grpc-js client %s: no %s within %s (%s); events: %s", process, description, timeout,
                    e.getMessage(), events());
        }
        return first(matching).orElseThrow();
    }

    /** Waits for the client to exit by itself (check and watch do once their calls ended). */
    void awaitExit(Duration timeout) {
        Awaitility.await("the grpc-js client " + process + " exiting").atMost(timeout)
                .pollInterval(Duration.ofMillis(20)).until(() -> !process.isAlive());
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return process.toString();
    }

    private static Event parse(PeerProcess.Line line) {
        try {
            JsonNode node = JSON.readTree(line.text());
            return new Event(Instant.ofEpochMilli(node.path("at").asLong()), node.path("event").asText(), node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the grpc-js client printed a line that is not JSON: " + line.text(), e);
        }
    }
}
