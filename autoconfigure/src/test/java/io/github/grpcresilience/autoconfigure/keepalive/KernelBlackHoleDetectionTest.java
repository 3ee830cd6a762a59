package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.testing.KernelBlackHole;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ConnectivityState;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * A peer that vanishes without FIN or RST (packets dropped by nftables on loopback) against a
 * server with no special settings: with short kernel keepalive settings (2 s idle, 3 probes 1 s
 * apart, so {@code TCP_USER_TIMEOUT} defaults to idle, 2 s) the client notices well within
 * {@link #WINDOW}, on a quiet stream and on an idle READY channel; with both keepalive layers off
 * it does not notice in the same window. Both configurations run at once against the same black
 * hole. The window leaves room for timer slack on a loaded machine and stays far below the 60 s
 * HTTP/2 keepalive timeout that grpc-java writes over {@code TCP_USER_TIMEOUT}, so it also shows
 * that the configured user timeout is the one in force. A connection carrying calls is found
 * after the user timeout, sooner than the probe window that bounds an idle one.
 */
class KernelBlackHoleDetectionTest {

    /** 3 s expected (idle + one unanswered probe past the 2 s user timeout); the rest is room for scheduling under load. */
    private static final Duration WINDOW = Duration.ofSeconds(20);
    /** Below the 20 s probe window of {@link #callsInFlightFindABlackHoledPeerAfterTheUserTimeoutBeforeTheProbeWindow}. */
    private static final Duration BUSY_FOUND_WITHIN = Duration.ofSeconds(16);

    private static final String[] SHORT_KEEPALIVE = {
        "grpc.resilience.client.defaults.tcp-keepalive.idle=2s",
        "grpc.resilience.client.defaults.tcp-keepalive.interval=1s",
        "grpc.resilience.client.defaults.tcp-keepalive.count=3",
        // if grpc-java's overwrite won, TCP_USER_TIMEOUT would be this and detection would take 60 s
        "grpc.resilience.client.defaults.keepalive.timeout=60s"};

    @BeforeAll
    static void requireKernelFaults() {
        KernelBlackHole.assumeOrFailInCi();
    }

    private static ApplicationContextRunner client(String target, String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.GLOBAL.address=" + target,
                        "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s")
                .withPropertyValues(properties);
    }

    @Test
    void keepAliveFindsABlackHoledPeerOnStreamsAndIdleChannelsAndLayersOffDoNot() throws Exception {
        Server server = TestServers.start();
        String target = "static://127.0.0.1:" + server.getPort();
        try (KernelBlackHole blackHole = KernelBlackHole.forPort(server.getPort())) {
            client(target, SHORT_KEEPALIVE).run(defaults -> client(target,
                    "grpc.resilience.client.defaults.tcp-keepalive.enabled=false",
                    "grpc.resilience.client.defaults.keepalive.enabled=false").run(layersOff -> {
                CompletableFuture<Status> defaultStream =
                        QuietStream.open(NetDevhTesting.channel(defaults, "stream"));
                CompletableFuture<Status> layersOffStream =
                        QuietStream.open(NetDevhTesting.channel(layersOff, "stream"));
                connect(defaults);
                connect(layersOff);

                blackHole.engage();
                long engaged = System.nanoTime();

                Status status = defaultStream.get(WINDOW.toNanos() - (System.nanoTime() - engaged), TimeUnit.NANOSECONDS);
                assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                await().atMost(WINDOW.minusNanos(System.nanoTime() - engaged))
                        .until(() -> NetDevhTesting.connectivityState(defaults, "idle") != ConnectivityState.READY);

                long remaining = WINDOW.toNanos() - (System.nanoTime() - engaged);
                await().pollDelay(Duration.ofNanos(Math.max(0, remaining))).atMost(WINDOW).until(() -> true);
                assertThat(layersOffStream).as("stream without keepalive after %s", WINDOW).isNotDone();
                assertThat(NetDevhTesting.connectivityState(layersOff, "idle")).isEqualTo(ConnectivityState.READY);
            }));
        } finally {
            server.shutdownNow();
        }
    }

    /**
     * Calls with a deadline keep going out after the black hole: their unacknowledged data makes
     * the kernel end the connection after {@code TCP_USER_TIMEOUT}, which defaults to idle (10 s
     * here), well before the 20 s probe window (10 s idle + 10 probes 1 s apart) that a user
     * timeout equal to the probe window would wait for.
     */
    @Test
    void callsInFlightFindABlackHoledPeerAfterTheUserTimeoutBeforeTheProbeWindow() throws Exception {
        Server server = TestServers.start();
        String target = "static://127.0.0.1:" + server.getPort();
        ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor();
        try (KernelBlackHole blackHole = KernelBlackHole.forPort(server.getPort())) {
            client(target, "grpc.resilience.client.defaults.tcp-keepalive.idle=10s",
                    "grpc.resilience.client.defaults.tcp-keepalive.interval=1s",
                    "grpc.resilience.client.defaults.tcp-keepalive.count=10").run(context -> {
                SimpleServiceGrpc.SimpleServiceFutureStub stub =
                        SimpleServiceGrpc.newFutureStub(NetDevhTesting.channel(context, "busy"));
                stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance()).get();
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> NetDevhTesting.connectivityState(context, "busy") == ConnectivityState.READY);

                blackHole.engage();
                long engaged = System.nanoTime();
                caller.scheduleAtFixedRate(() -> stub.withDeadlineAfter(1, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.getDefaultInstance()), 0, 100, TimeUnit.MILLISECONDS);

                await().atMost(BUSY_FOUND_WITHIN)
                        .until(() -> NetDevhTesting.connectivityState(context, "busy") != ConnectivityState.READY);
                Duration found = Duration.ofNanos(System.nanoTime() - engaged);
                assertThat(found).as("found by the 10 s user timeout, not at once").isGreaterThan(Duration.ofSeconds(5));
            });
        } finally {
            caller.shutdownNow();
            server.shutdownNow();
        }
    }

    /**
     * Connects the idle channel. net.devh's {@code getConnectivityState()} is a map its own state
     * watcher updates from {@code notifyWhenStateChanged} callbacks on the channel's executor, so
     * it can still say CONNECTING just after a call succeeded: wait for it, bounded.
     */
    private static void connect(ApplicationContext context) {
        SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, "idle"))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> NetDevhTesting.connectivityState(context, "idle") == ConnectivityState.READY);
    }
}
