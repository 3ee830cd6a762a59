package io.github.grpcresilience.autoconfigure.boot4health;

import io.github.grpcresilience.autoconfigure.health.HealthReport;
import io.github.grpcresilience.autoconfigure.health.HealthSource;
import io.github.grpcresilience.autoconfigure.health.NamedHealthSources;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Spring Boot 4's health types over the starter's health sources. */
final class Boot4HealthContributors {

    private Boot4HealthContributors() {
    }

    /** An indicator that reads the source each time actuator asks. */
    static HealthIndicator indicator(HealthSource source) {
        return () -> health(source.report());
    }

    /** A composite with one indicator per member, members read each time actuator asks. */
    static CompositeHealthContributor composite(NamedHealthSources sources) {
        return new CompositeHealthContributor() {

            @Override
            public HealthContributor getContributor(String name) {
                return sources.member(name).map(Boot4HealthContributors::indicator).orElse(null);
            }

            @Override
            public Stream<Entry> stream() {
                return sources.members().entrySet().stream()
                        .map(member -> new Entry(member.getKey(), indicator(member.getValue())));
            }
        };
    }

    static Health health(HealthReport report) {
        return Health.status(report.status().name()).withDetails(report.details()).build();
    }
}
