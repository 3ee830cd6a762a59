package io.github.grpcresilience.autoconfigure.serverhealth;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.serverhealth.GracefulShutdown;
import io.github.grpcresilience.serverhealth.InFlightCalls;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Runs the {@link GracefulShutdown} when the application context closes. {@link ContextClosedEvent}
 * is published before any lifecycle bean stops, so this runs before the integration's server
 * lifecycle (net.devh's: a SmartLifecycle at phase {@code Integer.MAX_VALUE}, the first to stop),
 * which then finds the server already terminated. On SIGTERM Spring's shutdown hook closes the context.
 */
final class GrpcServerDrain implements ApplicationListener<ApplicationEvent>, GrpcServerListener {

    private static final Logger log = LoggerFactory.getLogger(GrpcServerDrain.class);
    private static final Duration STUCK_SCHEDULER_SLACK = Duration.ofSeconds(10);

    private final ApplicationContext context;
    private final GrpcHealthBridge bridge;
    private final HealthStatusManager health;
    private final InFlightCalls calls;
    private final GrpcResilienceProperties.Server.Shutdown properties;
    private final ScheduledExecutorService scheduler;
    private volatile Server server;

    GrpcServerDrain(ApplicationContext context, GrpcHealthBridge bridge, HealthStatusManager health,
            InFlightCalls calls, GrpcResilienceProperties.Server.Shutdown properties,
            ScheduledExecutorService scheduler) {
        this.context = context;
        this.bridge = bridge;
        this.health = health;
        this.calls = calls;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    @Override
    public void serverStarted(Server started) {
        server = started;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
            drain();
        }
    }

    private void drain() {
        Server running = server;
        if (running == null || running.isShutdown()) {
            return;
        }
        // Terminal first: whoever hears of the readiness change, or of NOT_SERVING, and then asks
        // actuator must find grpcServer OUT_OF_SERVICE already.
        bridge.terminate();
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            new GracefulShutdown(properties.getDrainDelay(), properties.getGracePeriod(),
                    this::sleep, GrpcServerDrain::log).run(running, health, calls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.shutdownNow();
            log.warn("gRPC server: graceful shutdown interrupted; cut the running calls");
        }
    }

    /**
     * Waits out the drain delay on the starter's scheduler, so that it follows the injected clock;
     * the scheduler outlives this listener (beans are destroyed after the close event). A delay
     * the scheduler has not ended well after it is due (a scheduler stopped or stuck) is over.
     */
    private void sleep(Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            return;
        }
        ScheduledFuture<?> wake;
        try {
            wake = scheduler.schedule(() -> { }, duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            Thread.sleep(duration.toMillis());
            return;
        }
        try {
            wake.get(duration.plus(STUCK_SCHEDULER_SLACK).toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            log.warn("gRPC server: the drain delay did not end on the scheduler ({}); going on", e.toString());
        }
    }

    private static void log(String step, boolean cut) {
        if (cut) {
            log.warn("gRPC server: {}; raise {}.server.shutdown.grace-period if they should have finished", step,
                    GrpcResilienceProperties.PREFIX);
        } else {
            log.info("gRPC server: {}", step);
        }
    }
}
