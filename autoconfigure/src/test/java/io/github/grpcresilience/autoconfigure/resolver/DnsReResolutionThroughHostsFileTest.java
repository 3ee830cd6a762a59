package io.github.grpcresilience.autoconfigure.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Re-resolution through a real {@code dns:} channel as an application configures it: a net.devh
 * client {@code dns:///backends.grpc-resilience.test:<port>} with the starter's defaults
 * ({@code round_robin}, the JVM's DNS cache set to 5 s at startup) and
 * {@code resolver.refresh-interval=1s}, against backends that are whole applications with the
 * starter's server, each on its own loopback address (127.0.0.2, .3, .4) and one port. The name
 * resolves through the hosts file the test rewrites ({@code -Djdk.net.hosts.file}, which the JVM
 * reads only at start: the {@code hosts-file} surefire execution runs these tests in a JVM of their
 * own and sets nothing else; the JVM's DNS cache TTL there is the starter's doing).
 *
 * <p>A new address is used within 15 s (the JVM's 30 s cache alone would take longer), a removed one
 * stops getting calls while its server still runs (only re-resolution can explain that), and a
 * backend removed from DNS and shut down at the same moment (Kubernetes' scale-in) costs no call.
 */
@Tag(DnsReResolutionThroughHostsFileTest.TAG)
class DnsReResolutionThroughHostsFileTest {

    /** The tag of tests that need {@code -Djdk.net.hosts.file} at JVM start. */
    static final String TAG = "hosts-file";

    private static final String NAME = "backends.grpc-resilience.test";
    private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    /** The goal: a new backend serving within 15 s of appearing in DNS. */
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    /** For tests not about shutdown, so that closing a backend does not wait. */
    private static final String NO_DRAIN = "--grpc.resilience.server.shutdown.drain-delay=0s";

    private final Map<String, ConfigurableApplicationContext> backends = new ConcurrentHashMap<>();
    private final List<ConfigurableApplicationContext> clients = new ArrayList<>();
    private Path hostsFile;
    private int port;

    /** A backend: the starter's server with one service that answers with the backend's address. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Backend {
        @Bean
        NamedService namedService(Environment environment) {
            return new NamedService(environment.getRequiredProperty("grpc.server.address"));
        }
    }

    @ServedGrpcService
    static class NamedService extends SimpleServiceGrpc.SimpleServiceImplBase {
        final String address;
        final AtomicInteger calls = new AtomicInteger();

        NamedService(String address) {
            this.address = address;
        }

        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            calls.incrementAndGet();
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage(address).build());
            responses.onCompleted();
        }
    }

    /** The client application: only net.devh's client and the starter, no server. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Client {
    }

    @BeforeEach
    void hostsFileAndPort() throws IOException {
        String file = System.getProperty("jdk.net.hosts.file");
        if (file == null) {
            skipOrFailInCi("needs -Djdk.net.hosts.file at JVM start; the autoconfigure module's hosts-file "
                    + "surefire execution sets it (./mvnw -pl autoconfigure -am test -Dtest=" + getClass().getSimpleName()
                    + " -Dsurefire.failIfNoSpecifiedTests=false)");
        }
        if (!ADDRESSES.stream().allMatch(address -> free(address, 0))) {
            skipOrFailInCi("needs " + ADDRESSES + " on loopback (Linux has all of 127.0.0.0/8; "
                    + "macOS: sudo ifconfig lo0 alias 127.0.0.2 up, and so on)");
        }
        hostsFile = Path.of(file);
        Files.createDirectories(hostsFile.getParent());
        writeHosts(List.of());
        port = portFreeOnEveryAddress();
    }

    /** The backends together: each waits out its drain delay. */
    private static void skipOrFailInCi(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + "; CI must run it");
        }
        Assumptions.assumeTrue(false, reason);
    }

    @AfterEach
    void close() {
        clients.forEach(ConfigurableApplicationContext::close);
        ExecutorService closing = Executors.newCachedThreadPool();
        try {
            CompletableFuture.allOf(backends.values().stream()
                    .map(backend -> CompletableFuture.runAsync(backend::close, closing))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            closing.shutdown();
        }
    }

    @Test
    void aNewAddressGetsCallsWithinFifteenSeconds() {
        ADDRESSES.forEach(address -> startBackend(address, NO_DRAIN));
        writeHosts(ADDRESSES.subList(0, 2));
        SimpleServiceGrpc.SimpleServiceBlockingStub stub = startClient();
        awaitServedByAll(stub, ADDRESSES.subList(0, 2));

        long added = System.nanoTime();
        writeHosts(ADDRESSES);
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> "127.0.0.4".equals(call(stub)));

        report("new address 127.0.0.4 got its first call", added);
    }

    @Test
    void aRemovedAddressStopsGettingCallsWhileItsServerStillRuns() {
        ADDRESSES.forEach(address -> startBackend(address, NO_DRAIN));
        writeHosts(ADDRESSES);
        SimpleServiceGrpc.SimpleServiceBlockingStub stub = startClient();
        awaitServedByAll(stub, ADDRESSES);

        long removed = System.nanoTime();
        writeHosts(ADDRESSES.subList(0, 2));
        // round_robin over three backends gives each a third of any 12 calls; none means it is gone
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> callsServedBy(stub, 12).stream().noneMatch("127.0.0.4"::equals));
        report("removed address 127.0.0.4 stopped getting calls", removed);

        NamedService removedBackend = backends.get("127.0.0.4").getBean(NamedService.class);
        int before = removedBackend.calls.get();
        assertThat(callsServedBy(stub, 60)).containsOnly("127.0.0.2", "127.0.0.3");
        assertThat(removedBackend.calls).as("its server still runs and gets nothing").hasValue(before);
        assertThat(backends.get("127.0.0.4").isActive()).isTrue();
    }

    @Test
    void scaleInWithoutAFailedCall() {
        startBackend("127.0.0.2", NO_DRAIN);
        startBackend("127.0.0.3", NO_DRAIN);
        // the starter's server defaults: NOT_SERVING, a drain delay of 5 s, GOAWAY, a grace period of 30 s
        startBackend("127.0.0.4");
        writeHosts(ADDRESSES);
        SimpleServiceGrpc.SimpleServiceBlockingStub stub = startClient();
        awaitServedByAll(stub, ADDRESSES);

        try (Load load = new Load(SimpleServiceGrpc.newFutureStub(stub.getChannel()))) {
            await().atMost(STARTUP).until(() -> load.answers.size() >= 100);

            // Kubernetes takes the pod out of the endpoints and sends it SIGTERM at the same moment
            long removed = System.nanoTime();
            writeHosts(ADDRESSES.subList(0, 2));
            backends.remove("127.0.0.4").close(); // NOT_SERVING, drain delay (5 s), GOAWAY, then stop
            long closed = System.nanoTime();
            int answersAtClose = load.answers.size();
            await().atMost(STARTUP).until(() -> load.answers.size() >= answersAtClose + 200);
            load.stop();

            System.out.printf("scale-in: %d calls, %d failed; close took %d ms; 127.0.0.4 answered %d calls "
                    + "after SIGTERM%n", load.answers.size(), load.failures.size(),
                    TimeUnit.NANOSECONDS.toMillis(closed - removed), load.answeredBy("127.0.0.4", removed, closed));
            assertThat(load.failures).as("failed calls").isEmpty();
            assertThat(load.answeredBy("127.0.0.4", removed, closed))
                    .as("the removed backend drains: it serves until GOAWAY instead of failing calls").isPositive();
            assertThat(load.answeredBy("127.0.0.4", closed, Long.MAX_VALUE)).as("after its drain").isZero();
            assertThat(load.answeredBy("127.0.0.2", closed, Long.MAX_VALUE)).isPositive();
            assertThat(load.answeredBy("127.0.0.3", closed, Long.MAX_VALUE)).isPositive();
        }
    }

    private void startBackend(String address, String... properties) {
        List<String> args = new ArrayList<>(List.of("--grpc.server.address=" + address, "--grpc.server.port=" + port,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(properties));
        backends.put(address, new SpringApplicationBuilder(Backend.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new)));
    }

    private SimpleServiceGrpc.SimpleServiceBlockingStub startClient() {
        ConfigurableApplicationContext client = new SpringApplicationBuilder(Client.class)
                .web(WebApplicationType.NONE)
                .run("--grpc.server.port=-1", "--spring.main.banner-mode=off",
                        "--grpc.client.backends.address=dns:///" + NAME + ":" + port,
                        "--grpc.client.backends.negotiation-type=plaintext",
                        "--grpc.resilience.client.defaults.resolver.refresh-interval=1s");
        clients.add(client);
        return SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(client, "backends"));
    }

    /** Calls until every one of {@code addresses}, and no other, has answered (bounded by the start-up wait). */
    private static void awaitServedByAll(SimpleServiceGrpc.SimpleServiceBlockingStub stub, List<String> addresses) {
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        await().atMost(STARTUP).until(() -> {
            servedBy.add(call(stub));
            return servedBy.size() >= addresses.size();
        });
        assertThat(servedBy).containsExactlyInAnyOrderElementsOf(addresses);
    }

    private static String call(SimpleServiceGrpc.SimpleServiceBlockingStub stub) {
        return stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance())
                .getResponseMessage();
    }

    private static List<String> callsServedBy(SimpleServiceGrpc.SimpleServiceBlockingStub stub, int calls) {
        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            servedBy.add(call(stub));
        }
        return servedBy;
    }

    /** Replaces the hosts file in one move, so that a lookup never reads half of it. */
    private void writeHosts(List<String> addresses) {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
        localHostName().ifPresent(name -> hosts.append("127.0.0.1 ").append(name).append('\n'));
        addresses.forEach(address -> hosts.append(address).append(' ').append(NAME).append('\n'));
        try {
            Path next = Files.writeString(hostsFile.resolveSibling(hostsFile.getFileName() + ".next"), hosts,
                    StandardCharsets.UTF_8);
            Files.move(next, hostsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + hostsFile, e);
        }
    }

    /** The machine's name, without a lookup (the hosts file is the only name service here). */
    private static java.util.Optional<String> localHostName() {
        try {
            return java.util.Optional.of(Files.readString(Path.of("/etc/hostname")).trim()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** A port that is free on all three addresses, for backends that differ by address only. */
    private static int portFreeOnEveryAddress() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(ADDRESSES.get(0)))) {
                candidate = first.getLocalPort();
            }
            if (ADDRESSES.stream().allMatch(address -> free(address, candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no port free on every one of " + ADDRESSES);
    }

    private static boolean free(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void report(String what, long since) {
        System.out.printf("%s after %d ms%n", what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }

    /** Unary calls at 100 per second, each with a 5 s deadline; records who answered when, and failures. */
    private static final class Load implements AutoCloseable {
        record Answer(String by, long atNanos) {
        }

        final List<Answer> answers = new CopyOnWriteArrayList<>();
        final List<Status> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger inFlight = new AtomicInteger();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Load(SimpleServiceGrpc.SimpleServiceFutureStub stub) {
            timer.scheduleAtFixedRate(() -> {
                inFlight.incrementAndGet();
                Futures.addCallback(stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.getDefaultInstance()), new FutureCallback<>() {
                            @Override
                            public void onSuccess(SimpleResponse response) {
                                answers.add(new Answer(response.getResponseMessage(), System.nanoTime()));
                                inFlight.decrementAndGet();
                            }

                            @Override
                            public void onFailure(Throwable error) {
                                failures.add(Status.fromThrowable(error));
                                inFlight.decrementAndGet();
                            }
                        }, MoreExecutors.directExecutor());
            }, 0, 10, TimeUnit.MILLISECONDS);
        }

        long answeredBy(String address, long fromNanos, long toNanos) {
            return answers.stream().filter(answer -> answer.by().equals(address))
                    .filter(answer -> answer.atNanos() >= fromNanos && answer.atNanos() < toNanos).count();
        }

        /** Stops sending and waits for the answers of the calls under way. */
        void stop() {
            timer.shutdownNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 0);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
