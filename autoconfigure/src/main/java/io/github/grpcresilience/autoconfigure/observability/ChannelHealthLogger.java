package io.github.grpcresilience.autoconfigure.observability;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.connectivity.ChannelHealth;
import io.github.grpcresilience.connectivity.ChannelMonitor;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.keepalive.Durations;
import io.grpc.ConnectivityState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per health change of a channel: WARN when it turns DOWN, INFO when it is UP again,
 * with the cause (the root cause of the last failed call) and what health and readiness now report.
 *
 * <p>A change is noticed without anyone reading health: shortly after every state change the
 * monitor reports (once the calls the change failed have recorded their cause), and, while the
 * channel is CONNECTING or TRANSIENT_FAILURE inside its grace, by a check scheduled for the moment
 * the grace ends. Every check runs on the starter's one scheduler thread, so checks of a channel
 * never overlap. The verdict is {@link ChannelHealth}'s, the one the health
 * contributor reports. OUT_OF_SERVICE (shutdown) is not logged here.
 *
 * <p>Thread-safety: transitions arrive on the channels' executors, checks on the scheduler; the last
 * logged verdict per channel is guarded by {@code lock}, and logging happens after releasing it.
 */
final class ChannelHealthLogger implements GrpcChannelRegistry.Subscriber, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelHealthLogger.class);
    /** Checks run this much after the grace ends, so that the grace is over by then. */
    private static final long CHECK_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /**
     * Checks run this much after a transition: the calls a transition fails record their status
     * (the cause the line reports) just after the channel changed state.
     */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ChannelSettingsResolver settings;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile boolean closed;
    @GuardedBy("lock")
    private final Map<GrpcChannelRegistry.Entry, Down> down = new HashMap<>();

    /** When a channel turned DOWN. */
    private record Down(Instant since) {
    }

    ChannelHealthLogger(ChannelSettingsResolver settings, ScheduledExecutorService scheduler, Clock clock) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Follows the registry's channels, those registered already included. */
    void follow(GrpcChannelRegistry registry) {
        registry.subscribe(this);
        registry.all().forEach(this::onRegistered);
    }

    @Override
    public void onRegistered(GrpcChannelRegistry.Entry entry) {
        entry.monitor().addListener((channel, from, to) -> schedule(entry, SETTLE_NANOS));
    }

    @Override
    public void onShutdown(GrpcChannelRegistry.Entry entry) {
        synchronized (lock) {
            down.remove(entry);
        }
    }

    /** Evaluates the channel now, logs a change, and schedules the check at the end of its grace. */
    void check(GrpcChannelRegistry.Entry entry) {
        if (closed) {
            return;
        }
        ChannelProperties.Health properties = settings.channel(entry.name()).properties().getHealth();
        ChannelHealth rules = new ChannelHealth(properties.getConnectingGrace(), properties.getTransientFailureGrace());
        ChannelMonitor.Snapshot snapshot = entry.monitor().snapshot();
        Instant now = clock.instant();
        ChannelHealth.Verdict verdict = rules.evaluate(snapshot, now);
        if (snapshot.state() == ConnectivityState.SHUTDOWN) {
            onShutdown(entry);
            return;
        }
        Down wasDown;
        boolean changed;
        synchronized (lock) {
            wasDown = down.get(entry);
            changed = (verdict == ChannelHealth.Verdict.DOWN) != (wasDown != null);
            if (changed) {
                if (wasDown == null) {
                    down.put(entry, new Down(now));
                } else {
                    down.remove(entry);
                }
            }
        }
        if (changed && wasDown == null) {
            logDown(entry, snapshot, properties, now);
        } else if (changed) {
            log.info("gRPC channel '{}' is UP again ({}) after {} DOWN{}", entry.name(), snapshot.state(),
                    Durations.format(Duration.ofMillis(Duration.between(wasDown.since(), now).toMillis())),
                    properties.isCritical() ? "; health and readiness no longer report DOWN because of it"
                            : " (not critical: health stayed UP)");
        }
        if (rules.inGrace(snapshot, now)) {
            schedule(entry, Math.max(0, Duration.between(now, rules.graceEnd(snapshot)).toNanos()) + CHECK_SLACK_NANOS);
        }
    }

    private void schedule(GrpcChannelRegistry.Entry entry, long delayNanos) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> check(entry), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void logDown(GrpcChannelRegistry.Entry entry, ChannelMonitor.Snapshot snapshot,
            ChannelProperties.Health properties, Instant now) {
        String prefix = ChannelSettingsResolver.channelPrefix(entry.name());
        boolean connecting = snapshot.state() == ConnectivityState.CONNECTING;
        String grace = prefix + ".health." + (connecting ? "connecting-grace" : "transient-failure-grace");
        Duration graceValue = connecting ? properties.getConnectingGrace() : properties.getTransientFailureGrace();
        ChannelMonitor.Failure failure = snapshot.lastFailure();
        // a failure from before the channel was last healthy is not this outage's cause
        String cause = failure == null || failure.at().isBefore(snapshot.lastHealthy())
                ? "unknown, no call has failed on it since " + snapshot.lastHealthy()
                : ChannelHealthDetails.failure(failure);
        log.warn("gRPC channel '{}' ({}) is DOWN: {} for longer than {} ({}); cause: {}; {}", entry.name(),
                entry.target(), snapshot.state(), grace, Durations.format(graceValue), cause,
                properties.isCritical() ? "it is critical: health, and readiness where probes are on, now report DOWN"
                        + " (HTTP 503)"
                        : "it is not critical (" + prefix + ".health.critical=false): health stays UP");
    }

    /** Stops checking; the scheduler is shared, so queued checks stay until it stops and then do nothing. */
    @Override
    public void close() {
        closed = true;
    }
}
