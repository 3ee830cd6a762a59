package io.github.grpcresilience.stream;

import io.grpc.Status;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How one resilient stream reconnects and buffers.
 *
 * @param backoff delays between attempts
 * @param maxAttempts attempts after one break before the stream FAILS; 0 means unlimited
 * @param checkInterval while the stream waits on a channel that is not READY, the channel's
 *        connect backoff is reset this often (with the backoff's jitter), so a server that comes
 *        back is noticed within about one interval instead of after grpc-java's own backoff
 * @param healthyReset a stream HEALTHY this long counts its next break as the first
 * @param retryableCodes statuses that make the stream reconnect; CANCELLED counts only when the
 *        application did not cancel, RESOURCE_EXHAUSTED only for {@code too_many_pings} and
 *        INTERNAL only for an RST_STREAM
 * @param bufferCapacity messages kept while the stream is down
 * @param overflow what {@code send} does when the buffer is full
 * @param blockTimeout how long {@code send} waits under {@link OverflowPolicy#BLOCK}
 */
public record StreamSettings(ReconnectBackoff backoff, int maxAttempts, Duration checkInterval, Duration healthyReset,
        Set<Status.Code> retryableCodes, int bufferCapacity, OverflowPolicy overflow, Duration blockTimeout) {

    /** The production defaults. */
    public static final StreamSettings DEFAULT = new StreamSettings(
            new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 1.6, 0.2), 0, Duration.ofSeconds(2),
            Duration.ofSeconds(10), Set.of(Status.Code.UNAVAILABLE, Status.Code.CANCELLED,
                    Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL),
            1000, OverflowPolicy.FAIL, Duration.ofSeconds(5));

    public StreamSettings {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(healthyReset, "healthyReset");
        retryableCodes = Set.copyOf(retryableCodes);
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
    }

    /** Whether a stream that ended with this status should reconnect. */
    public boolean isRetryable(Status status, boolean cancelledByApplication) {
        if (!retryableCodes.contains(status.getCode())) {
            return false;
        }
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case CANCELLED -> !cancelledByApplication;
            case RESOURCE_EXHAUSTED -> description.contains("too_many_pings");
            case INTERNAL -> description.contains("RST_STREAM");
            default -> true;
        };
    }
}
