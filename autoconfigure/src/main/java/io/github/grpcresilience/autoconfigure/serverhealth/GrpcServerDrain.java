package io.github.grpcresilience.autoconfigure.serverhealth;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.serverhealth.GracefulShutdown;
import io.github.grpcresilience.serverhealth.InFlightCalls;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
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
 * is published before any lifecycle bean stops, so this runs before net.devh's server lifecycle
 * (a SmartLifecycle at phase {@code Integer.MAX_VALUE}, the first to stop), which then finds the
 * server already terminated. On SIGTERM Spring's shutdown hook closes the context.
 */
final class GrpcServerDrain implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(GrpcServerDrain.class);

    private final ApplicationContext context;
    private final GrpcHealthBridge bridge;
    private final HealthStatusManager health;
    private final InFlightCalls calls;
    private final GrpcResilienceProperties.Server.Shutdown properties;
    private volatile Server server;

    GrpcServerDrain(ApplicationContext context, GrpcHealthBridge bridge, HealthStatusManager health,
            InFlightCalls calls, GrpcResilienceProperties.Server.Shutdown properties) {
        this.context = context;
        this.bridge = bridge;
        this.health = health;
        this.calls = calls;
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof GrpcServerStartedEvent started) {
            server = started.getServer();
        } else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
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
                    duration -> Thread.sleep(duration.toMillis()), GrpcServerDrain::log).run(running, health, calls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.shutdownNow();
            log.warn("gRPC server: graceful shutdown interrupted; cut the running calls");
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
