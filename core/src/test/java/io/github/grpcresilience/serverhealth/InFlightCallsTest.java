package io.github.grpcresilience.serverhealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The running-call count under concurrent calls, with health watches kept apart. */
class InFlightCallsTest {

    @Test
    void countsConcurrentCallsUntilEachEndsAndLeavesHealthWatchesOut() throws Exception {
        InFlightCalls calls = new InFlightCalls();
        HoldingService service = new HoldingService();
        HealthStatusManager health = new HealthStatusManager();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .addService(health.getHealthService()).intercept(calls).build().start();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (ServerWatcher client = new ServerWatcher(server.getPort())) {
            client.watch("");
            client.next(Duration.ofSeconds(10));
            CountDownLatch ended = new CountDownLatch(50);
            for (int i = 0; i < 50; i++) {
                CompletableFuture<String> outcome = new CompletableFuture<>();
                outcome.whenComplete((response, failure) -> ended.countDown());
                callers.execute(() -> client.hold(outcome));
                callers.execute(() -> client.echo("short"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> service.held() == 50 && calls.count() == 50);
            assertThat(calls.healthWatches()).isEqualTo(1);

            service.release();
            assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.count() == 0);
            assertThat(calls.healthWatches()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.healthWatches() == 0);
    }
}
