package io.github.grpcresilience.transport;

/**
 * Receives every HTTP/2 GOAWAY frame that a server sends on one channel's connections, whether or
 * not a call is open. Called on the connection's Netty event loop: implementations must be quick
 * and must not block.
 */
@FunctionalInterface
public interface GoAwayListener {

    /**
     * @param http2ErrorCode the GOAWAY error code ({@code 0} NO_ERROR, {@code 0xb} ENHANCE_YOUR_CALM, ...)
     * @param debugData the GOAWAY debug data as UTF-8, e.g. {@code too_many_pings} or {@code max_age}
     */
    void onGoAway(long http2ErrorCode, String debugData);
}
