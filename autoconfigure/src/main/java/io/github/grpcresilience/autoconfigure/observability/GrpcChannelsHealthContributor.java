package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.connectivity.ChannelHealth;
import io.github.grpcresilience.connectivity.ChannelMonitor;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.time.Clock;
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
 * {@code grpcChannels}: one health indicator per registered channel, including channels created
 * after startup. READY and IDLE are UP; CONNECTING and TRANSIENT_FAILURE are UP during their grace
 * (counted from the last time the channel was healthy) and DOWN after it; SHUTDOWN is
 * OUT_OF_SERVICE. A non-critical channel always reports UP and puts its verdict in the details.
 */
final class GrpcChannelsHealthContributor implements CompositeHealthContributor {

    private final GrpcChannelRegistry registry;
    private final GoAwayRegistry goAways;
    private final ChannelSettingsResolver settings;
    private final Clock clock;

    GrpcChannelsHealthContributor(GrpcChannelRegistry registry, GoAwayRegistry goAways, ChannelSettingsResolver settings,
            Clock clock) {
        this.registry = registry;
        this.goAways = goAways;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return registry.get(name).map(this::indicator).orElse(null);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return registry.all().stream()
                .sorted(Comparator.comparing(GrpcChannelRegistry.Entry::name))
                .map(entry -> NamedContributor.of(entry.name(), indicator(entry)))
                .iterator();
    }

    private HealthContributor indicator(GrpcChannelRegistry.Entry entry) {
        return (HealthIndicator) () -> health(entry);
    }

    private Health health(GrpcChannelRegistry.Entry entry) {
        ChannelProperties.Health properties = settings.channel(entry.name()).properties().getHealth();
        ChannelHealth rules = new ChannelHealth(properties.getConnectingGrace(), properties.getTransientFailureGrace());
        ChannelMonitor.Snapshot snapshot = entry.monitor().snapshot();
        Instant now = clock.instant();
        ChannelHealth.Verdict verdict = rules.evaluate(snapshot, now);

        boolean critical = properties.isCritical();
        Status status = toStatus(verdict);
        String nonCriticalVerdict = null;
        if (!critical && verdict != ChannelHealth.Verdict.UP) {
            nonCriticalVerdict = status.getCode();
            status = Status.UP;
        }
        ChannelMonitor.Failure failure = snapshot.lastFailure();
        ChannelHealthDetails details = new ChannelHealthDetails(snapshot.state().name(), snapshot.since().toString(),
                entry.target(), snapshot.transitions(), failure == null ? null : ChannelHealthDetails.failure(failure),
                goAways.count(entry.name(), GoAwayReason.TOO_MANY_PINGS),
                rules.inGrace(snapshot, now) ? rules.graceEnd(snapshot).toString() : null, critical,
                nonCriticalVerdict);
        return Health.status(status).withDetails(HealthDetails.of(details)).build();
    }

    private static Status toStatus(ChannelHealth.Verdict verdict) {
        return switch (verdict) {
            case UP -> Status.UP;
            case DOWN -> Status.DOWN;
            case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
        };
    }
}
