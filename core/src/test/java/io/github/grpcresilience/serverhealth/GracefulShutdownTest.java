package io.github.grpcresilience.serverhealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shutdown sequence against a real Netty server and client on loopback. */
class GracefulShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HealthStatusManager health = new HealthStatusManager();
    private final InFlightCalls calls = new InFlightCalls();
    private final HoldingService service = new HoldingService();
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final ExecutorService shutdownThread = Executors.newSingleThreadExecutor();
    private Server server;
    private ServerWatcher client;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .addService(health.getHealthService()).intercept(calls).build().start();
        health.setStatus("readiness", ServingStatus.SERVING);
        client = new ServerWatcher(server.getPort());
    }

    @AfterEach
    void stop() throws Exception {
        service.release();
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        client.close();
        shutdownThread.shutdownNow();
    }

    private Future<GracefulShutdown.Result> shutDown(Duration drainDelay, Duration grace,
            GracefulShutdown.Sleeper sleeper) {
        GracefulShutdown shutdown = new GracefulShutdown(drainDelay, grace, sleeper, (line, cut) -> steps.add(line));
        return shutdownThread.submit(() -> shutdown.run(server, health, calls));
    }

    @Test
    void notServingReachesWatchersFirstThenCallsAreStillServedUntilTheDrainDelayEndsThenGoAway() throws Exception {
        client.watch("readiness");
        assertThat(client.next(WAIT).what()).isEqualTo("SERVING");
        CountDownLatch drainOver = new CountDownLatch(1);
        Future<GracefulShutdown.Result> result = shutDown(Duration.ofSeconds(5), Duration.ofSeconds(5),
                delay -> drainOver.await());

        assertThat(client.next(WAIT).what()).isEqualTo("NOT_SERVING");
        assertThat(client.check("")).isEqualTo("NOT_SERVING");
        assertThat(client.echo("during the drain")).isEqualTo("during the drain");
        assertThat(client.pending()).as("no GOAWAY during the drain delay").isZero();

        drainOver.countDown();
        // a graceful GOAWAY is two frames; the watch is closed right after the first
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 4 && !(after.contains("GOAWAY") && after.contains("WATCH_ENDED UNAVAILABLE")); i++) {
            after.add(client.next(WAIT).what());
        }
        assertThat(after).contains("GOAWAY", "WATCH_ENDED UNAVAILABLE").containsOnly("GOAWAY", "WATCH_ENDED UNAVAILABLE");
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new GracefulShutdown.Result(true, 0));
        assertThat(steps).hasSize(3);
        assertThat(steps.get(0)).startsWith("every health status is NOT_SERVING");
        assertThat(steps.get(1)).startsWith("GOAWAY sent").contains("closed 1 health watch stream(s)");
        assertThat(steps.get(2)).isEqualTo("every running call finished; server stopped");
    }

    @Test
    void aCallRunningWhenShutdownBeginsFinishesWithinTheGracePeriod() throws Exception {
        CompletableFuture<String> call = new CompletableFuture<>();
        client.hold(call);
        await().atMost(WAIT).until(() -> calls.count() == 1);

        Future<GracefulShutdown.Result> result = shutDown(Duration.ZERO, Duration.ofSeconds(30), delay -> { });
        assertThat(client.next(WAIT).what()).isEqualTo("GOAWAY");
        assertThat(call).isNotDone();
        assertThat(result).isNotDone();

        service.release();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("released");
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new GracefulShutdown.Result(true, 0));
        assertThat(calls.count()).isZero();
    }

    @Test
    void aCallLongerThanTheGracePeriodIsCutAndCounted() throws Exception {
        CompletableFuture<String> call = new CompletableFuture<>();
        client.hold(call);
        await().atMost(WAIT).until(() -> calls.count() == 1);

        GracefulShutdown.Result result = shutDown(Duration.ZERO, Duration.ofMillis(300), delay -> { })
                .get(10, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(new GracefulShutdown.Result(false, 1));
        assertThat(call.handle((ok, error) -> error == null ? "OK" : Status.fromThrowable(error).getCode().name())
                .get(10, TimeUnit.SECONDS)).isIn("UNAVAILABLE", "CANCELLED");
        assertThat(steps.get(2)).isEqualTo("grace period over: cut 1 running call(s)");
        assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theDrainDelayIsWaitedBeforeGoAway() throws Exception {
        List<Duration> waited = new CopyOnWriteArrayList<>();
        shutDown(Duration.ofSeconds(7), Duration.ofSeconds(1), waited::add).get(10, TimeUnit.SECONDS);
        assertThat(waited).containsExactly(Duration.ofSeconds(7));
        assertThat(server.isTerminated()).isTrue();
    }
}
