package io.github.grpcresilience.autoconfigure.health;

import java.util.Iterator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * Spring Boot 3's health types over the starter's health sources. The only class of this package
 * typed on Boot 3's health API: the configurations that load it are conditional on that API by
 * class name, so that on Spring Boot 4 they are skipped without loading it.
 */
public final class Boot3HealthContributors {

    private Boot3HealthContributors() {
    }

    /** An indicator that reads the source each time actuator asks. */
    public static HealthIndicator indicator(HealthSource source) {
        return () -> health(source.report());
    }

    /** A composite with one indicator per member, members read each time actuator asks. */
    public static CompositeHealthContributor composite(NamedHealthSources sources) {
        return new CompositeHealthContributor() {

            @Override
            public HealthContributor getContributor(String name) {
                return sources.member(name).map(Boot3HealthContributors::indicator).orElse(null);
            }

            @Override
            public Iterator<NamedContributor<HealthContributor>> iterator() {
                return sources.members().entrySet().stream()
                        .map(member -> NamedContributor.<HealthContributor>of(member.getKey(),
                                indicator(member.getValue())))
                        .iterator();
            }
        };
    }

    static Health health(HealthReport report) {
        return Health.status(report.status().name()).withDetails(report.details()).build();
    }
}
