package io.github.grpcresilience.connectivity;

import java.util.Locale;

/** Why a server sent GOAWAY, as far as the frame tells. Values are bounded: safe as a metric tag. */
public enum GoAwayReason {
    /** ENHANCE_YOUR_CALM {@code too_many_pings}: the client pings more often than the server permits. */
    TOO_MANY_PINGS,
    /** NO_ERROR {@code max_age}: the server's maximum connection age was reached. */
    MAX_AGE,
    /** NO_ERROR {@code max_idle}: the connection was idle longer than the server allows. */
    MAX_IDLE,
    /** NO_ERROR without a known debug text: usually a graceful server shutdown. */
    NO_ERROR,
    /** Any other error code. */
    OTHER;

    private static final long NO_ERROR_CODE = 0x0;
    private static final long ENHANCE_YOUR_CALM_CODE = 0xb;

    /** Classifies a GOAWAY frame by its error code and debug data. */
    public static GoAwayReason of(long http2ErrorCode, String debugData) {
        if (http2ErrorCode == ENHANCE_YOUR_CALM_CODE && "too_many_pings".equals(debugData)) {
            return TOO_MANY_PINGS;
        }
        if (http2ErrorCode == NO_ERROR_CODE) {
            if ("max_age".equals(debugData)) {
                return MAX_AGE;
            }
            if ("max_idle".equals(debugData)) {
                return MAX_IDLE;
            }
            return NO_ERROR;
        }
        return OTHER;
    }

    /** The lowercase tag value, e.g. {@code too_many_pings}. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
