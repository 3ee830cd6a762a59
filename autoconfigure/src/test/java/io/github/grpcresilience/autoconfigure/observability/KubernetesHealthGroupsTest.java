package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * In a real Spring Boot application: net.devh's aggregate {@code grpcChannel} indicator is gone,
 * {@code grpcChannels} is there, and it belongs to the readiness group only, so a downstream
 * channel never fails the liveness probe.
 */
class KubernetesHealthGroupsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    /** Starts the application with the given settings as command-line arguments. */
    private static ConfigurableApplicationContext start(String... properties) {
        String[] args = java.util.Arrays.stream(properties).map(property -> "--" + property).toArray(String[]::new);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("grpc.server.port=-1", "management.endpoint.health.probes.enabled=true",
                        "spring.main.banner-mode=off")
                .run(args);
    }

    @Test
    void grpcChannelsReplacesNetDevhsIndicatorAndJoinsReadinessOnly() {
        try (ConfigurableApplicationContext context = start()) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannels")).isNotNull();
            assertThat(contributors.getContributor("grpcChannel")).isNull();
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            assertThat(groups.get("readiness").isMember("grpcChannels")).isTrue();
            assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
            assertThat(groups.get("liveness").isMember("grpcChannels")).isFalse();
        }
    }

    @Test
    void applicationSettingsOverrideTheDefaults() {
        try (ConfigurableApplicationContext context = start("management.health.grpcChannel.enabled=true",
                "management.endpoint.health.group.readiness.include=readinessState")) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannel")).isNotNull();
            assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").isMember("grpcChannels")).isFalse();
        }
    }

    @Test
    void aDisabledStarterLeavesNetDevhAlone() {
        try (ConfigurableApplicationContext context = start("grpc.resilience.enabled=false")) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannel")).isNotNull();
            assertThat(contributors.getContributor("grpcChannels")).isNull();
        }
    }
}
