package io.github.grpcresilience.autoconfigure.boot4health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

/** An application's auto-configuration finds the Spring Boot 4 health glue. */
class HealthAutoConfigurationRegistrationTest {

    @Test
    void theHealthAutoConfigurationIsRegistered() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
                .contains(GrpcResilienceHealthAutoConfiguration.class.getName());
    }
}
