package io.github.grpcresilience.connectivity;

import io.grpc.ConnectivityState;
import java.time.Duration;
import java.time.Instant;

/**
 * Maps a channel's record to a health verdict. Graces count from the last time the channel was
 * healthy (READY or IDLE, or its creation), not from the last transition, so a channel cycling
 * CONNECTING and TRANSIENT_FAILURE under reconnect backoff still turns DOWN once the grace is over.
 *
 * @param connectingGrace how long CONNECTING may last before it counts as DOWN
 * @param transientFailureGrace how long TRANSIENT_FAILURE may last before it counts as DOWN
 */
public record ChannelHealth(Duration connectingGrace, Duration transientFailureGrace) {

    /** A health verdict, named like Spring Boot's statuses but free of Spring. */
    public enum Verdict {
        UP, DOWN, OUT_OF_SERVICE
    }

    public Verdict evaluate(ChannelMonitor.Snapshot snapshot, Instant now) {
        Duration unhealthyFor = Duration.between(snapshot.lastHealthy(), now);
        return switch (snapshot.state()) {
            case READY, IDLE -> Verdict.UP;
            case CONNECTING -> unhealthyFor.compareTo(connectingGrace) > 0 ? Verdict.DOWN : Verdict.UP;
            case TRANSIENT_FAILURE -> unhealthyFor.compareTo(transientFailureGrace) > 0 ? Verdict.DOWN : Verdict.UP;
            case SHUTDOWN -> Verdict.OUT_OF_SERVICE;
        };
    }

    /** Whether the channel is unhealthy but still inside its grace. */
    public boolean inGrace(ChannelMonitor.Snapshot snapshot, Instant now) {
        ConnectivityState state = snapshot.state();
        return (state == ConnectivityState.CONNECTING || state == ConnectivityState.TRANSIENT_FAILURE)
                && evaluate(snapshot, now) == Verdict.UP;
    }

    /** When the grace of a CONNECTING or TRANSIENT_FAILURE channel ends (for the health details). */
    public Instant graceEnd(ChannelMonitor.Snapshot snapshot) {
        return snapshot.lastHealthy().plus(snapshot.state() == ConnectivityState.CONNECTING ? connectingGrace
                : transientFailureGrace);
    }
}
