package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSettings;
import io.github.grpcresilience.stream.StreamState;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders streams for the actuator endpoint and health details (no payloads). */
final class StreamDescriptions {

    /** The health verdict: FAILED, or down for longer than the grace. Free of actuator types. */
    static boolean isDown(ResilientStream.Snapshot snapshot, Duration grace, Instant now) {
        return snapshot.state() == StreamState.FAILED
                || snapshot.downSince() != null && Duration.between(snapshot.downSince(), now).compareTo(grace) > 0;
    }

    private static final int MAX_DESCRIPTION_LENGTH = 200;

    private StreamDescriptions() {
    }

    static String status(Status status) {
        String description = io.github.grpcresilience.connectivity.ChannelMonitor.description(status);
        if (description == null) {
            return status.getCode().name();
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            description = description.substring(0, MAX_DESCRIPTION_LENGTH);
        }
        return status.getCode() + ": " + description;
    }

    static Map<String, Object> describe(ResilientStream<?, ?> stream) {
        ResilientStream.Snapshot snapshot = stream.snapshot();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("channel", stream.channel());
        result.put("state", snapshot.state().name());
        result.put("since", snapshot.since().toString());
        result.put("attempts", snapshot.attempts());
        result.put("reconnects", snapshot.reconnects());
        result.put("lastStatus", snapshot.lastStatus() == null ? null : status(snapshot.lastStatus()));
        result.put("downSince", snapshot.downSince() == null ? null : snapshot.downSince().toString());
        result.put("buffered", snapshot.buffered());
        result.put("dropped", snapshot.dropped());
        StreamSettings settings = stream.settings();
        Map<String, Object> reconnect = new LinkedHashMap<>();
        reconnect.put("initialBackoff", Durations.format(settings.backoff().initial()));
        reconnect.put("maxBackoff", Durations.format(settings.backoff().max()));
        reconnect.put("multiplier", settings.backoff().multiplier());
        reconnect.put("jitter", settings.backoff().jitter());
        reconnect.put("maxAttempts", settings.maxAttempts() == 0 ? "unlimited" : settings.maxAttempts());
        reconnect.put("checkInterval", Durations.format(settings.checkInterval()));
        reconnect.put("retryableStatusCodes", settings.retryableCodes().stream().map(Enum::name).sorted().toList());
        Map<String, Object> buffer = new LinkedHashMap<>();
        buffer.put("capacity", settings.bufferCapacity());
        buffer.put("overflow", settings.overflow().name());
        Map<String, Object> settingsMap = new LinkedHashMap<>();
        settingsMap.put("reconnect", reconnect);
        settingsMap.put("outboundBuffer", buffer);
        result.put("settings", settingsMap);
        return result;
    }
}
