package io.github.grpcresilience.keepalive;

import java.time.Duration;
import java.util.Objects;

/**
 * HTTP/2 keepalive pings sent by a gRPC client. Unlike TCP keepalive they also find a peer whose
 * kernel still answers while its process hangs, and a backend behind a proxy that terminates TCP;
 * but servers police them (see {@link KeepAliveLimits#DEFAULT_SERVER_PERMIT_TIME}).
 */
public record Http2KeepAlive(Duration time, Duration timeout, boolean withoutCalls) {

    /**
     * The starter's production default: one ping per 5 minutes, which every grpc-java, Go and
     * C-core server permits without configuration, so it never provokes {@code too_many_pings}.
     */
    public static final Http2KeepAlive DEFAULT =
            new Http2KeepAlive(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME, Duration.ofSeconds(20), false);

    public Http2KeepAlive {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(timeout, "timeout");
    }
}
