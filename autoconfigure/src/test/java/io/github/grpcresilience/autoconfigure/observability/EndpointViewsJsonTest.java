package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.pool.PoolDescription;
import io.github.grpcresilience.autoconfigure.stream.StreamDescription;
import io.github.grpcresilience.autoconfigure.stream.StreamStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The endpoint and health views are records; their JSON keeps the shape the nested maps they
 * replaced had: which fields are absent, which are shown as {@code null}, and in what order.
 */
class EndpointViewsJsonTest {

    private static final StreamStatus UP_STREAM = new StreamStatus("control-plane", "HEALTHY",
            "2026-01-01T10:00:00Z", 0, 1L, null, null, 0, 0L);

    @Test
    void aChannelWithoutFailureHasNoLastFailureAndAFailureWithoutDescriptionShowsItAsNull() {
        ChannelDescription healthy = new ChannelDescription("static://127.0.0.1:1", "READY", "2026-01-01T10:00:00Z",
                2, "2026-01-01T10:00:00Z", null, Map.of("too_many_pings", 0L), 0, Map.of("resolverRefresh", "off"));
        assertThat(EndpointJson.of(healthy)).doesNotContainKey("lastFailure").containsOnlyKeys("target", "state",
                "since", "transitions", "lastHealthy", "goaway", "tooManyPings", "settings");
        ChannelDescription failed = new ChannelDescription("static://127.0.0.1:1", "TRANSIENT_FAILURE",
                "2026-01-01T10:00:00Z", 3, "2026-01-01T10:00:00Z",
                new ChannelDescription.Failure("UNAVAILABLE", null, "2026-01-01T10:00:01Z"), Map.of(), 0, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> failure = (Map<String, Object>) EndpointJson.of(failed).get("lastFailure");
        assertThat(failure.keySet()).containsExactly("code", "description", "at");
        assertThat(failure).containsEntry("code", "UNAVAILABLE").containsEntry("description", null);
    }

    @Test
    void aStreamShowsWhatItDoesNotKnowAsNullInTheEndpointAndLeavesItOutOfHealth() {
        StreamDescription stream = new StreamDescription(UP_STREAM, new StreamDescription.Settings(
                new StreamDescription.Reconnect("1s", "30s", 2.0, 0.2, "unlimited", "5s", List.of("UNAVAILABLE")),
                new StreamDescription.OutboundBuffer(100, "DROP_OLDEST")));
        assertThat(EndpointJson.of(stream).keySet()).containsExactly("channel", "state", "since", "attempts",
                "reconnects", "lastStatus", "downSince", "buffered", "dropped", "settings");
        assertThat(EndpointJson.of(stream)).containsEntry("lastStatus", null).containsEntry("downSince", null)
                .containsEntry("reconnects", 1L);
        assertThat(HealthDetails.of(UP_STREAM)).containsOnlyKeys("channel", "state", "since", "attempts",
                "reconnects", "buffered", "dropped");
    }

    @Test
    void aPoolThatDidNothingYetHasNoLastEvent() {
        PoolDescription pool = new PoolDescription("READY", 1, 1, 5, 0, false,
                List.of(new PoolDescription.Member(0, "READY", 0, "5m", false)), 0, 0, null, null);
        assertThat(EndpointJson.of(pool)).doesNotContainKeys("lastEvent", "lastEventAt")
                .containsEntry("members", List.of(Map.of("id", 0, "state", "READY", "callsInFlight", 0, "age", "5m",
                        "draining", false)));
    }

    @Test
    void channelHealthDetailsLeaveOutWhatDoesNotApply() {
        ChannelHealthDetails details = new ChannelHealthDetails("READY", "2026-01-01T10:00:00Z", "static://x", 2,
                null, 0L, null, true, null);
        assertThat(HealthDetails.of(details).keySet()).containsExactly("state", "since", "target", "transitions",
                "tooManyPings", "critical");
        assertThat(HealthDetails.of(details)).containsEntry("tooManyPings", 0L);
    }
}
