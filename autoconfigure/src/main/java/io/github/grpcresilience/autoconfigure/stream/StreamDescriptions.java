package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;

/** The stream verdict and status wording shared by health, its log and the endpoint (no payloads). */
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
}
