package io.github.grpcresilience.keepalive;

import io.grpc.ServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the starter sets on the server. A {@code null} component is left to the lower layer
 * (net.devh's properties or grpc-java's default).
 *
 * @param time server keepalive ping time
 * @param timeout server keepalive ping timeout
 * @param permitTime the most frequent client ping the server tolerates
 * @param permitWithoutCalls whether clients may ping while they have no call open
 * @param maxIdle idle connections are closed with GOAWAY after this time
 * @param maxAge connections are closed with GOAWAY {@code max_age} after this time
 * @param maxAgeGrace running calls get this long after {@code max_age} before they are cut
 */
public record ServerKeepAlivePolicy(Duration time, Duration timeout, Duration permitTime,
        Boolean permitWithoutCalls, Duration maxIdle, Duration maxAge, Duration maxAgeGrace) {

    /**
     * A {@code maxAgeGrace} that never cuts a running call: grpc-java treats a grace this large as
     * infinite, which is also its default, but an integration may have set a finite one.
     */
    public static final Duration UNLIMITED_GRACE = Duration.ofNanos(Long.MAX_VALUE);

    /** Applies every non-null setting through the portable {@link ServerBuilder} methods. */
    public void applyTo(ServerBuilder<?> builder) {
        if (time != null) {
            builder.keepAliveTime(time.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (timeout != null) {
            builder.keepAliveTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (permitTime != null) {
            builder.permitKeepAliveTime(permitTime.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (permitWithoutCalls != null) {
            builder.permitKeepAliveWithoutCalls(permitWithoutCalls);
        }
        if (maxIdle != null) {
            builder.maxConnectionIdle(maxIdle.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (maxAge != null) {
            builder.maxConnectionAge(maxAge.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (maxAgeGrace != null) {
            builder.maxConnectionAgeGrace(maxAgeGrace.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
