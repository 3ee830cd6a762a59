package io.github.grpcresilience.keepalive;

import java.time.Duration;
import java.util.Objects;

/**
 * Kernel TCP keepalive for a client connection: after {@code idle} without traffic the kernel
 * sends up to {@code count} probes {@code interval} apart and resets the connection when none is
 * answered. Servers never see these probes as HTTP/2 pings, so no server policy can object.
 *
 * <p>{@code userTimeout} bounds how long sent data may stay unacknowledged (Linux
 * {@code TCP_USER_TIMEOUT}); by default it equals {@code idle}, as grpc-java sets its 20 s keepalive
 * timeout there: a peer that vanishes while calls are in flight is found after that long, sooner
 * than an idle one. Linux also lets it end a probed idle connection: once the user timeout has
 * passed and a probe went unanswered, so by default an idle dead peer is found after
 * {@code idle + interval}, and {@code count} counts only where the user timeout is at least the
 * probe window.
 */
public record TcpKeepAlive(boolean enabled, Duration idle, Duration interval, int count,
        Duration userTimeout) {

    /**
     * The starter's production default: a black-holed peer is found after 20 s when calls are in
     * flight, 25 s when the connection is idle.
     */
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

    /** Time from the last packet until the kernel gives up on a silent peer when no user timeout cuts it short. */
    public Duration probeWindow() {
        return idle.plus(interval.multipliedBy(count));
    }

    /** The configured user timeout, or {@code idle} when none was configured. */
    public Duration effectiveUserTimeout() {
        return userTimeout != null ? userTimeout : idle;
    }
}
