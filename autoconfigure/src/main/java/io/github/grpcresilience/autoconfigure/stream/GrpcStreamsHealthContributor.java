package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.autoconfigure.observability.HealthDetails;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;

/**
 * {@code grpcStreams}: one indicator per resilient stream. FAILED is DOWN; UNHEALTHY or
 * RECONNECTING is UP during {@code health.unhealthy-grace} (counted from when the stream went
 * down) and DOWN after it; everything else is UP.
 */
final class GrpcStreamsHealthContributor implements CompositeHealthContributor {

    private final StreamSupervisor supervisor;
    private final StreamSettingsResolver settings;
    private final Clock clock;

    GrpcStreamsHealthContributor(StreamSupervisor supervisor, StreamSettingsResolver settings, Clock clock) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return supervisor.stream(name).map(this::indicator).orElse(null);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return supervisor.streams().stream().sorted(Comparator.comparing(ResilientStream::name))
                .map(stream -> NamedContributor.of(stream.name(), indicator(stream))).iterator();
    }

    /** The verdict, shared with {@link StreamHealthLogger} (which must not load this actuator-typed class). */
    static boolean isDown(ResilientStream.Snapshot snapshot, Duration grace, Instant now) {
        return StreamDescriptions.isDown(snapshot, grace, now);
    }

    private HealthContributor indicator(ResilientStream<?, ?> stream) {
        return (HealthIndicator) () -> health(stream);
    }

    private Health health(ResilientStream<?, ?> stream) {
        ResilientStream.Snapshot snapshot = stream.snapshot();
        Duration grace = settings.properties(stream.name()).getHealth().getUnhealthyGrace();
        Instant now = clock.instant();
        Status status = isDown(snapshot, grace, now) ? Status.DOWN : Status.UP;
        return Health.status(status).withDetails(HealthDetails.of(StreamStatus.of(stream.channel(), snapshot))).build();
    }
}
