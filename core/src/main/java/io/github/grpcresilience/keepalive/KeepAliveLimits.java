package io.github.grpcresilience.keepalive;

import java.time.Duration;

/** Limits that grpc-java and other gRPC implementations impose on keepalive settings. */
public final class KeepAliveLimits {

    /** grpc-java silently raises any client keepalive time below this value to it. */
    public static final Duration MIN_CLIENT_KEEPALIVE_TIME = Duration.ofSeconds(10);

    /**
     * The smallest ping interval a grpc-java, Go or C-core server permits by default
     * ({@code permitKeepAliveTime} / {@code MinTime} / {@code GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS}).
     */
    public static final Duration DEFAULT_SERVER_PERMIT_TIME = Duration.ofMinutes(5);

    private KeepAliveLimits() {
    }
}
