package io.github.grpcresilience.sample;

import io.github.grpcresilience.sample.proto.ConfigRequest;
import io.github.grpcresilience.sample.proto.ControlPlaneGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The agent's periodic consistency check ({@code sample.config-check-interval}): the idempotent
 * GetConfig, one call at a time with a 2 s deadline. A failure is logged with how long the call
 * took, so that an operator (or the fault soak benchmark) can tell it from an outage.
 *
 * <p>Threads: calls run one after the other on one scheduler thread.
 */
@Component
@Profile("!server")
@ConditionalOnProperty(prefix = "sample", name = "config-check-interval")
public class ConfigCheck {

    private static final Logger log = LoggerFactory.getLogger(ConfigCheck.class);
    private static final long DEADLINE_MILLIS = 2000;

    @GrpcClient("control-plane")
    private ControlPlaneGrpc.ControlPlaneBlockingStub stub;

    private final SampleProperties properties;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "config-check");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public ConfigCheck(SampleProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        long interval = properties.getConfigCheckInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void check() {
        long start = System.nanoTime();
        try {
            stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .getConfig(ConfigRequest.newBuilder().setAgentId(properties.getAgentId()).build());
            succeeded.incrementAndGet();
        } catch (StatusRuntimeException ex) {
            failed.incrementAndGet();
            log.warn("Agent {}: config check failed after {} ms ({}); the stream keeps the config current",
                    properties.getAgentId(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    Status.fromThrowable(ex));
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        log.info("Agent {}: config checks: {} succeeded, {} failed", properties.getAgentId(), succeeded.get(),
                failed.get());
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }
}
