package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.health.HealthReport;
import io.github.grpcresilience.autoconfigure.health.HealthSource;
import io.github.grpcresilience.autoconfigure.health.NamedHealthSources;
import io.github.grpcresilience.connectivity.ChannelHealth;
import io.github.grpcresilience.connectivity.ChannelMonitor;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code grpcChannels}: one health source per registered channel, including channels created
 * after startup. READY and IDLE are UP; CONNECTING and TRANSIENT_FAILURE are UP during their grace
 * (counted from the last time the channel was healthy) and DOWN after it; SHUTDOWN is
 * OUT_OF_SERVICE. A non-critical channel always reports UP and puts its verdict in the details.
 * Each Spring Boot version's health glue maps it to a composite contributor.
 */
public final class GrpcChannelsHealth implements NamedHealthSources {

    private final GrpcChannelRegistry registry;
    private final GoAwayRegistry goAways;
    private final ChannelSettingsResolver settings;
    private final Clock clock;

    public GrpcChannelsHealth(GrpcChannelRegistry registry, GoAwayRegistry goAways, ChannelSettingsResolver settings,
            Clock clock) {
        this.registry = registry;
        this.goAways = goAways;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public SortedMap<String, HealthSource> members() {
        SortedMap<String, HealthSource> members = new TreeMap<>();
        registry.all().forEach(entry -> members.put(entry.name(), () -> report(entry)));
        return members;
    }

    @Override
    public Optional<HealthSource> member(String name) {
        return registry.get(name).map(entry -> () -> report(entry));
    }

    private HealthReport report(GrpcChannelRegistry.Entry entry) {
        ChannelProperties.Health properties = settings.channel(entry.name()).properties().getHealth();
        ChannelHealth rules = new ChannelHealth(properties.getConnectingGrace(), properties.getTransientFailureGrace());
        ChannelMonitor.Snapshot snapshot = entry.monitor().snapshot();
        Instant now = clock.instant();
        ChannelHealth.Verdict verdict = rules.evaluate(snapshot, now);

        boolean critical = properties.isCritical();
        HealthReport.Status status = toStatus(verdict);
        String nonCriticalVerdict = null;
        if (!critical && verdict != ChannelHealth.Verdict.UP) {
            nonCriticalVerdict = status.name();
            status = HealthReport.Status.UP;
        }
        ChannelMonitor.Failure failure = snapshot.lastFailure();
        ChannelHealthDetails details = new ChannelHealthDetails(snapshot.state().name(), snapshot.since().toString(),
                entry.target(), snapshot.transitions(), failure == null ? null : ChannelHealthDetails.failure(failure),
                goAways.count(entry.name(), GoAwayReason.TOO_MANY_PINGS),
                rules.inGrace(snapshot, now) ? rules.graceEnd(snapshot).toString() : null, critical,
                nonCriticalVerdict);
        return new HealthReport(status, HealthDetails.of(details));
    }

    private static HealthReport.Status toStatus(ChannelHealth.Verdict verdict) {
        return switch (verdict) {
            case UP -> HealthReport.Status.UP;
            case DOWN -> HealthReport.Status.DOWN;
            case OUT_OF_SERVICE -> HealthReport.Status.OUT_OF_SERVICE;
        };
    }
}
