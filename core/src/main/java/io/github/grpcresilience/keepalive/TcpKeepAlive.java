package io.github.grpcresilience.keepalive;

import java.time.Duration;
import java.util.Objects;

/**
 * Kernel TCP keepalive for a client connection: after {@code idle} without traffic the kernel
 * sends up to {@code count} probes {@code interval} apart and resets the connection when none is
 * answered. Servers never see these probes as HTTP/2 pings, so no server policy can object.
 *
 * <p>{@code userTimeout} bounds how long sent data may stay unacknowledged (Linux
 * {@code TCP_USER_TIMEOUT}); by default it equals the probe window so a peer that vanishes while
 * data is in flight is found just as fast.
 */
public record TcpKeepAlive(boolean enabled, Duration idle, Duration interval, int count,
        Duration userTimeout) {

    /** The starter's production default: a black-holed peer is found in about 35 seconds. */
    public static final TcpKeepAlive DEFAULT =
            new TcpKeepAlive(true, Duration.ofSeconds(20), Duration.ofSeconds(5), 3, null);

    /** TCP keepalive switched off: the kernel default (two hours idle) stays in force. */
    public static final TcpKeepAlive DISABLED = new TcpKeepAlive(false, null, null, 0, null);

    public TcpKeepAlive {
        if (enabled) {
            Objects.requireNonNull(idle, "idle");
            Objects.requireNonNull(interval, "interval");
        }
    }

    /** Time from the last packet until the kernel gives up on a silent peer. */
    public Duration probeWindow() {
        return idle.plus(interval.multipliedBy(count));
    }

    /** The configured user timeout, or the probe window when none was configured. */
    public Duration effectiveUserTimeout() {
        return userTimeout != null ? userTimeout : probeWindow();
    }
}
