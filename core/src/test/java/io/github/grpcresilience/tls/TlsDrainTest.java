package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.serverhealth.GracefulShutdown;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.github.grpcresilience.serverhealth.InFlightCalls;
import io.github.grpcresilience.serverhealth.ServerWatcher;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shutdown sequence as a TLS and a mutual-TLS client sees it, on both Netty flavours:
 * NOT_SERVING on its health watch first, calls still served during the drain delay and no GOAWAY
 * yet, then GOAWAY (seen by the transport hook's tap) with the watch closed, and a call that was
 * running finishing within the grace period.
 */
class TlsDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#all")
    void notServingThenDrainDelayThenGoAwayThenGrace(TlsCase tls) throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        InFlightCalls calls = new InFlightCalls();
        HoldingService service = new HoldingService();
        List<String> steps = new CopyOnWriteArrayList<>();
        ExecutorService shutdownThread = Executors.newSingleThreadExecutor();
        Server server = tls.serverBuilder(0).addService(service).addService(health.getHealthService())
                .intercept(calls).build().start();
        health.setStatus("readiness", ServingStatus.SERVING);
        ServerWatcher client = new ServerWatcher(tls.channelBuilder(server.getPort()));
        try {
            client.watch("readiness");
            assertThat(client.next(WAIT).what()).isEqualTo("SERVING");
            CompletableFuture<String> running = new CompletableFuture<>();
            client.hold(running);
            await().atMost(WAIT).until(() -> service.held() == 1);

            CountDownLatch drainOver = new CountDownLatch(1);
            GracefulShutdown shutdown = new GracefulShutdown(Duration.ofSeconds(5), Duration.ofSeconds(30),
                    delay -> drainOver.await(), (line, cut) -> steps.add(line));
            Future<GracefulShutdown.Result> result = shutdownThread.submit(() -> shutdown.run(server, health, calls));

            assertThat(client.next(WAIT).what()).isEqualTo("NOT_SERVING");
            assertThat(client.echo("during the drain")).isEqualTo("during the drain");
            assertThat(client.pending()).as("no GOAWAY during the drain delay").isZero();
            // the echo has answered; the server counts it until its listener completes, a moment later
            await().atMost(WAIT).until(() -> calls.count() == 1);

            drainOver.countDown();
            // a graceful GOAWAY is two frames; the watch is closed right after the first
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 4 && !(after.contains("GOAWAY") && after.contains("WATCH_ENDED UNAVAILABLE")); i++) {
                after.add(client.next(WAIT).what());
            }
            assertThat(after).contains("GOAWAY", "WATCH_ENDED UNAVAILABLE")
                    .containsOnly("GOAWAY", "WATCH_ENDED UNAVAILABLE");
            assertThat(running).as("the running call is in its grace period").isNotDone();
            assertThat(result).isNotDone();

            service.release();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("released");
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new GracefulShutdown.Result(true, 0));
            assertThat(steps).hasSize(3);
            assertThat(steps.get(1)).startsWith("GOAWAY sent").contains("closed 1 health watch stream(s)")
                    .contains("for 1 running call(s)");
        } finally {
            service.release();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            client.close();
            shutdownThread.shutdownNow();
        }
    }
}
