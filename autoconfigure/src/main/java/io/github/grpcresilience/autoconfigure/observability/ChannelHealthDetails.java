package io.github.grpcresilience.autoconfigure.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grpcresilience.connectivity.ChannelMonitor;

/**
 * The details of a channel's {@code grpcChannels} health indicator. Free of actuator types, so
 * {@link ChannelHealthLogger} can share {@link #failure} without loading actuator.
 *
 * @param state its connectivity state
 * @param since when it entered that state (ISO-8601)
 * @param target the target it was built for
 * @param transitions how many state changes it has made
 * @param lastFailure the last connection failure, as {@link #failure} words it; absent when none
 * @param tooManyPings GOAWAY frames with {@code too_many_pings}
 * @param inGraceUntil when the grace of a connecting or failing channel ends; absent outside one
 * @param critical whether the channel's verdict is the indicator's status
 * @param verdict the verdict of a non-critical channel that is not UP (its status stays UP); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ChannelHealthDetails(String state, String since, String target, long transitions, String lastFailure,
        long tooManyPings, String inGraceUntil, boolean critical, String verdict) {

    /** A failure in one line, e.g. {@code UNAVAILABLE: io exception at 2026-01-01T10:00:00Z}. */
    static String failure(ChannelMonitor.Failure failure) {
        return failure.code() + (failure.description() == null ? "" : ": " + failure.description()) + " at "
                + failure.at();
    }
}
