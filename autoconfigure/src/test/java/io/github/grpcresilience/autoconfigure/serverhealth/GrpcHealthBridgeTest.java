package io.github.grpcresilience.autoconfigure.serverhealth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

/**
 * The bridge against a real {@link HealthStatusManager} and Spring Boot's availability bean, with
 * evaluations paused and resumed by latches inside the actuator lookup, so that the interleavings
 * the server and the scheduler can produce happen exactly. The wiring over a real server is in
 * {@link GrpcServerHealthTest}.
 */
class GrpcHealthBridgeTest {

    private final HealthStatusManager manager = new HealthStatusManager();
    private final ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch resume = new CountDownLatch(1);

    @AfterEach
    void stop() {
        resume.countDown();
        threads.shutdownNow();
        scheduler.shutdownNow();
    }

    @Test
    void anEvaluationOlderThanAReadinessChangeDoesNotUndoIt() throws Exception {
        AtomicBoolean pauseNext = new AtomicBoolean();
        CountDownLatch paused = new CountDownLatch(1);
        GrpcHealthBridge bridge = bridge(name -> {
            if (pauseNext.getAndSet(false)) {
                paused.countDown(); // this evaluation has read readiness ACCEPTING_TRAFFIC already
                awaitQuietly(resume);
            }
            return Optional.of("UP");
        });
        readiness(bridge, ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(check("")).isEqualTo(ServingStatus.SERVING);

        pauseNext.set(true);
        Future<?> older = threads.submit(bridge::refresh); // as the periodic refresh does
        assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
        readiness(bridge, ReadinessState.REFUSING_TRAFFIC);
        assertThat(check("")).isEqualTo(ServingStatus.NOT_SERVING);

        resume.countDown();
        older.get(10, TimeUnit.SECONDS);
        assertThat(check("")).as("the older evaluation saw ACCEPTING_TRAFFIC and was dropped")
                .isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(bridge.statuses()).containsEntry("", ServingStatus.NOT_SERVING);

        bridge.refresh();
        assertThat(check("orders")).as("later evaluations still count").isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void aWatchStreamToldOfAChangeCanAskTheBridgeFromAnotherThread() throws Exception {
        GrpcHealthBridge bridge = bridge(name -> Optional.of("UP"));
        readiness(bridge, ReadinessState.ACCEPTING_TRAFFIC);
        CompletableFuture<Map<String, ServingStatus>> seen = new CompletableFuture<>();
        watch("", status -> {
            if (status == ServingStatus.NOT_SERVING) {
                // the manager calls its watchers on the thread that sets the status
                try {
                    seen.complete(threads.submit(bridge::statuses).get(5, TimeUnit.SECONDS));
                } catch (Exception e) {
                    seen.completeExceptionally(e);
                }
            }
        });

        readiness(bridge, ReadinessState.REFUSING_TRAFFIC);

        assertThat(seen).as("the bridge's lock is not held while the manager tells its watchers")
                .succeedsWithin(java.time.Duration.ofSeconds(10))
                .satisfies(statuses -> assertThat(statuses).containsEntry("", ServingStatus.NOT_SERVING));
    }

    @Test
    void nothingIsSetAfterTerminate() {
        GrpcHealthBridge bridge = bridge(name -> Optional.of("UP"));
        readiness(bridge, ReadinessState.ACCEPTING_TRAFFIC);
        bridge.terminate();
        readiness(bridge, ReadinessState.REFUSING_TRAFFIC);
        assertThat(check("")).as("the manager keeps what it had; its terminal state is the drain's")
                .isEqualTo(ServingStatus.SERVING);
        assertThat(bridge.statuses()).containsEntry("", ServingStatus.NOT_SERVING);
    }

    private GrpcHealthBridge bridge(GrpcHealthBridge.ActuatorHealth actuator) {
        GrpcResilienceProperties.Server.Health properties = new GrpcResilienceProperties().getServer().getHealth();
        GrpcResilienceProperties.Server.MappedService orders = new GrpcResilienceProperties.Server.MappedService();
        orders.setInclude(List.of("critical"));
        properties.getServices().put("orders", orders);
        return new GrpcHealthBridge(manager, properties, actuator, availability, scheduler);
    }

    /** Publishes a readiness change as Spring Boot does: availability records it, then listeners hear it. */
    private void readiness(GrpcHealthBridge bridge, ReadinessState state) {
        AvailabilityChangeEvent<ReadinessState> event = new AvailabilityChangeEvent<>(this, state);
        availability.onApplicationEvent(event);
        bridge.onApplicationEvent(event);
    }

    private ServingStatus check(String service) {
        AtomicReference<ServingStatus> status = new AtomicReference<>();
        ((HealthGrpc.AsyncService) manager.getHealthService()).check(
                HealthCheckRequest.newBuilder().setService(service).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(HealthCheckResponse response) {
                        status.set(response.getStatus());
                    }

                    @Override
                    public void onError(Throwable error) {
                        status.set(ServingStatus.SERVICE_UNKNOWN);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return status.get();
    }

    private void watch(String service, java.util.function.Consumer<ServingStatus> watcher) {
        ((HealthGrpc.AsyncService) manager.getHealthService()).watch(
                HealthCheckRequest.newBuilder().setService(service).build(), new ServerCallStreamObserver<>() {
                    @Override
                    public void onNext(HealthCheckResponse response) {
                        watcher.accept(response.getStatus());
                    }

                    @Override
                    public void onError(Throwable error) {
                    }

                    @Override
                    public void onCompleted() {
                    }

                    @Override
                    public boolean isCancelled() {
                        return false;
                    }

                    @Override
                    public void setOnCancelHandler(Runnable handler) {
                    }

                    @Override
                    public void setCompression(String compression) {
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setOnReadyHandler(Runnable handler) {
                    }

                    @Override
                    public void disableAutoInboundFlowControl() {
                    }

                    @Override
                    public void request(int count) {
                    }

                    @Override
                    public void setMessageCompression(boolean enable) {
                    }
                });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
