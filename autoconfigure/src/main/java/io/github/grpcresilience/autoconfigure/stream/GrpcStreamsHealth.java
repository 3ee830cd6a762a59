package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.autoconfigure.health.HealthReport;
import io.github.grpcresilience.autoconfigure.health.HealthSource;
import io.github.grpcresilience.autoconfigure.health.NamedHealthSources;
import io.github.grpcresilience.autoconfigure.observability.HealthDetails;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code grpcStreams}: one health source per resilient stream. FAILED is DOWN; UNHEALTHY or
 * RECONNECTING is UP during {@code health.unhealthy-grace} (counted from when the stream went
 * down) and DOWN after it; everything else is UP. The verdict is {@link StreamDescriptions#isDown},
 * the one {@link StreamHealthLogger} logs. Each Spring Boot version's health glue maps it to a
 * composite contributor.
 */
public final class GrpcStreamsHealth implements NamedHealthSources {

    private final StreamSupervisor supervisor;
    private final StreamSettingsResolver settings;
    private final Clock clock;

    public GrpcStreamsHealth(StreamSupervisor supervisor, StreamSettingsResolver settings, Clock clock) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public SortedMap<String, HealthSource> members() {
        SortedMap<String, HealthSource> members = new TreeMap<>();
        supervisor.streams().forEach(stream -> members.put(stream.name(), () -> report(stream)));
        return members;
    }

    @Override
    public Optional<HealthSource> member(String name) {
        return supervisor.stream(name).map(stream -> () -> report(stream));
    }

    private HealthReport report(ResilientStream<?, ?> stream) {
        ResilientStream.Snapshot snapshot = stream.snapshot();
        Duration grace = settings.properties(stream.name()).getHealth().getUnhealthyGrace();
        Instant now = clock.instant();
        HealthReport.Status status = StreamDescriptions.isDown(snapshot, grace, now)
                ? HealthReport.Status.DOWN : HealthReport.Status.UP;
        return new HealthReport(status, HealthDetails.of(StreamStatus.of(stream.channel(), snapshot)));
    }
}
