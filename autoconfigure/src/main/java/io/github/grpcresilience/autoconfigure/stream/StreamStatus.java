package io.github.grpcresilience.autoconfigure.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grpcresilience.stream.ResilientStream;

/**
 * What a resilient stream is doing: its record in the {@code grpc} endpoint and, without the
 * values it does not know yet, its {@code grpcStreams} health details.
 *
 * @param channel the channel it runs on
 * @param state its state
 * @param since when it entered that state (ISO-8601)
 * @param attempts reconnect attempts since it was last healthy
 * @param reconnects successful reconnects
 * @param lastStatus the status that ended its last call, e.g. {@code UNAVAILABLE: io exception}; null before any
 * @param downSince when it went down (ISO-8601); null while it is up
 * @param buffered messages waiting for the next reconnect
 * @param dropped messages dropped from a full buffer
 */
public record StreamStatus(String channel, String state, String since, int attempts, long reconnects,
        @JsonInclude(JsonInclude.Include.ALWAYS) String lastStatus,
        @JsonInclude(JsonInclude.Include.ALWAYS) String downSince, int buffered, long dropped) {

    static StreamStatus of(ResilientStream<?, ?> stream) {
        return of(stream.channel(), stream.snapshot());
    }

    /** From a snapshot already taken, so a health verdict and its details agree. */
    static StreamStatus of(String channel, ResilientStream.Snapshot snapshot) {
        return new StreamStatus(channel, snapshot.state().name(), snapshot.since().toString(),
                snapshot.attempts(), snapshot.reconnects(),
                snapshot.lastStatus() == null ? null : StreamDescriptions.status(snapshot.lastStatus()),
                snapshot.downSince() == null ? null : snapshot.downSince().toString(), snapshot.buffered(),
                snapshot.dropped());
    }
}
