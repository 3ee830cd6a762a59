package io.github.grpcresilience.autoconfigure.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grpcresilience.connectivity.ChannelMonitor;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One channel in the {@code grpc} endpoint: what it is connected to, its connectivity record and
 * the settings it was built with. Instants are ISO-8601 strings.
 *
 * @param target the target the channel was built for
 * @param state its connectivity state
 * @param since when it entered that state
 * @param transitions how many state changes it has made
 * @param lastHealthy the last time it was READY or IDLE
 * @param lastFailure the last call failure that meant the connection failed; absent when none
 * @param goaway GOAWAY frames received, by reason tag
 * @param tooManyPings GOAWAY frames with {@code too_many_pings}, the sign of a keepalive too eager
 * @param settings the effective settings, as the channel registry holds them
 */
public record ChannelDescription(String target, String state, String since, long transitions, String lastHealthy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Failure lastFailure, Map<String, Long> goaway, long tooManyPings,
        Object settings) {

    /**
     * A failed call that meant the connection failed.
     *
     * @param code its status code
     * @param description its status description, {@code null} (and shown as such) when it had none
     * @param at when it failed
     */
    public record Failure(String code, @JsonInclude(JsonInclude.Include.ALWAYS) String description, String at) {

        static Failure of(ChannelMonitor.Failure failure) {
            return failure == null ? null
                    : new Failure(failure.code().name(), failure.description(), failure.at().toString());
        }
    }

    static ChannelDescription of(GrpcChannelRegistry.Entry entry, GoAwayRegistry goAways) {
        ChannelMonitor.Snapshot snapshot = entry.monitor().snapshot();
        Map<String, Long> goAway = new LinkedHashMap<>();
        goAways.counts(entry.name()).forEach((reason, count) -> goAway.put(reason.tagValue(), count));
        return new ChannelDescription(entry.target(), snapshot.state().name(), snapshot.since().toString(),
                snapshot.transitions(), snapshot.lastHealthy().toString(), Failure.of(snapshot.lastFailure()), goAway,
                goAways.count(entry.name(), GoAwayReason.TOO_MANY_PINGS), entry.settings());
    }
}
