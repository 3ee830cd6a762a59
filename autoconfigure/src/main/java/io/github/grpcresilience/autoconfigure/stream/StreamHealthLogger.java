package io.github.grpcresilience.autoconfigure.stream;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamListener;
import io.github.grpcresilience.stream.StreamState;
import io.grpc.Status;
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
 * One log line per health change of a stream ({@code grpcStreams}): WARN when it turns DOWN
 * because it has been down for longer than {@code health.unhealthy-grace}, INFO when it is UP
 * again, with the root cause of the last failure. A stream that fails for good is DOWN at once;
 * {@link StreamEventLogger}'s ERROR line says so, and no second line is written.
 *
 * <p>A change is noticed on every state change and by a check scheduled on the supervisor's
 * scheduler for the moment the grace ends. The verdict is {@link GrpcStreamsHealth}'s, from
 * {@link StreamDescriptions#isDown}: this class runs without the actuator on the class path.
 *
 * <p>Thread-safety: the streams that are DOWN are guarded by {@code lock}; logging happens after
 * releasing it.
 */
final class StreamHealthLogger implements StreamListener {

    private static final Logger log = LoggerFactory.getLogger(StreamHealthLogger.class);
    private static final long CHECK_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final StreamSettingsResolver settings;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Object lock = new Object();
    @GuardedBy("lock")
    private final Map<ResilientStream<?, ?>, Instant> downSince = new HashMap<>();

    StreamHealthLogger(StreamSettingsResolver settings, ScheduledExecutorService scheduler, Clock clock) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void onStateChange(ResilientStream<?, ?> stream, StreamState from, StreamState to, Status status) {
        check(stream);
    }

    @Override
    public void onReconnected(ResilientStream<?, ?> stream, long downtimeNanos) {
        check(stream);
    }

    /** Evaluates the stream now, logs a change, and schedules the check at the end of its grace. */
    void check(ResilientStream<?, ?> stream) {
        ResilientStream.Snapshot snapshot = stream.snapshot();
        Duration grace = settings.properties(stream.name()).getHealth().getUnhealthyGrace();
        Instant now = clock.instant();
        boolean isDown = StreamDescriptions.isDown(snapshot, grace, now);
        Instant wasDownSince;
        boolean changed;
        synchronized (lock) {
            wasDownSince = downSince.get(stream);
            changed = isDown != (wasDownSince != null);
            if (snapshot.state() == StreamState.CLOSED) {
                downSince.remove(stream);
                return;
            } else if (changed && isDown) {
                downSince.put(stream, now);
            } else if (changed) {
                downSince.remove(stream);
            }
        }
        if (changed && isDown && snapshot.state() != StreamState.FAILED) {
            log.warn("gRPC stream '{}' on channel '{}' is DOWN: not open for longer than {} ({}), {} attempts so far; "
                    + "cause: {}", stream.name(), stream.channel(), settings.where(stream.name(),
                            "health.unhealthy-grace"),
                    Durations.format(grace), snapshot.attempts(),
                    snapshot.lastStatus() == null ? "unknown" : StreamDescriptions.status(snapshot.lastStatus()));
        } else if (changed && !isDown) {
            log.info("gRPC stream '{}' on channel '{}' is UP again after {} DOWN", stream.name(), stream.channel(),
                    Durations.format(Duration.ofMillis(Duration.between(wasDownSince, now).toMillis())));
        }
        if (!isDown && snapshot.downSince() != null) {
            long delayNanos = Math.max(0, Duration.between(now, snapshot.downSince().plus(grace)).toNanos())
                    + CHECK_SLACK_NANOS;
            try {
                scheduler.schedule(() -> check(stream), delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the supervisor is closing
            }
        }
    }
}
