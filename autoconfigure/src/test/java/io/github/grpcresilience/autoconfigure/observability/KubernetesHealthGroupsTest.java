package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * In a real Spring Boot application (group membership validated at startup, as Boot does by
 * default): net.devh's aggregate {@code grpcChannel} indicator is gone, {@code grpcChannels} is
 * there, and it joins the readiness group wherever that group exists (probes on, Kubernetes, a
 * group of the application's own) and never the liveness group; where there is no readiness group
 * (Boot's default outside Kubernetes) the application still starts and no group is created.
 */
class KubernetesHealthGroupsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    /** Starts the application with the given settings as command-line arguments. */
    private static ConfigurableApplicationContext start(String... properties) {
        String[] args = Stream.concat(Stream.of("grpc.server.port=-1", "spring.main.banner-mode=off"),
                Arrays.stream(properties)).map(property -> "--" + property).toArray(String[]::new);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args);
    }

    private static HealthEndpointGroup group(ConfigurableApplicationContext context, String name) {
        return context.getBean(HealthEndpointGroups.class).get(name);
    }

    @Test
    void withProbesGrpcChannelsReplacesNetDevhsIndicatorAndJoinsReadinessOnly() {
        try (ConfigurableApplicationContext context = start("management.endpoint.health.probes.enabled=true")) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannels")).isNotNull();
            assertThat(contributors.getContributor("grpcChannel")).isNull();
            assertThat(group(context, "readiness").isMember("grpcChannels")).isTrue();
            // Boot's health endpoint asks about the leaves of a composite by their full path
            assertThat(group(context, "readiness").isMember("grpcChannels/inventory")).isTrue();
            assertThat(group(context, "readiness").isMember("readinessState")).isTrue();
            assertThat(group(context, "readiness").isMember("livenessState")).isFalse();
            assertThat(group(context, "liveness").isMember("grpcChannels")).isFalse();
            assertThat(group(context, "liveness").isMember("grpcChannels/inventory")).isFalse();
            assertThat(group(context, "liveness").isMember("livenessState")).isTrue();
        }
    }

    @Test
    void withoutProbesTheApplicationStartsAndNoGroupIsCreated() {
        // Boot's default outside Kubernetes: no readinessState contributor, no probe groups.
        try (ConfigurableApplicationContext context = start()) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannels")).isNotNull();
            assertThat(contributors.getContributor("readinessState")).isNull();
            assertThat(context.getBean(HealthEndpointGroups.class).getNames()).isEmpty();
        }
    }

    @Test
    void onKubernetesGrpcChannelsJoinsReadinessOnly() {
        try (ConfigurableApplicationContext context = start("spring.main.cloud-platform=kubernetes")) {
            assertThat(group(context, "readiness").isMember("grpcChannels")).isTrue();
            assertThat(group(context, "readiness").isMember("readinessState")).isTrue();
            assertThat(group(context, "liveness").isMember("grpcChannels")).isFalse();
        }
    }

    @Test
    void probesSwitchedOffOnKubernetesStillStart() {
        try (ConfigurableApplicationContext context = start("spring.main.cloud-platform=kubernetes",
                "management.endpoint.health.probes.enabled=false")) {
            assertThat(context.getBean(HealthEndpointGroups.class).getNames()).isEmpty();
        }
    }

    @Test
    void aReadinessGroupOfTheApplicationsOwnGetsGrpcChannels() {
        try (ConfigurableApplicationContext context = start(
                "management.endpoint.health.group.readiness.show-details=always",
                "management.endpoint.health.group.custom.include=ping")) {
            assertThat(group(context, "readiness").isMember("grpcChannels")).isTrue();
            assertThat(group(context, "custom").isMember("grpcChannels")).isFalse();
        }
    }

    @Test
    void membersListedByTheApplicationAreKeptExactly() {
        try (ConfigurableApplicationContext context = start("management.endpoint.health.probes.enabled=true",
                "management.health.grpcChannel.enabled=true",
                "management.endpoint.health.group.readiness.include=readinessState")) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannel")).isNotNull();
            assertThat(group(context, "readiness").isMember("grpcChannels")).isFalse();
            assertThat(group(context, "readiness").isMember("readinessState")).isTrue();
        }
    }

    @Test
    void aDisabledStarterLeavesNetDevhAlone() {
        try (ConfigurableApplicationContext context = start("grpc.resilience.enabled=false",
                "management.endpoint.health.probes.enabled=true")) {
            HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
            assertThat(contributors.getContributor("grpcChannel")).isNotNull();
            assertThat(contributors.getContributor("grpcChannels")).isNull();
            assertThat(group(context, "readiness").isMember("grpcChannels")).isFalse();
        }
    }

    @Test
    void additionalProbePathsStillWork() {
        try (ConfigurableApplicationContext context = start("management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.probes.add-additional-paths=true")) {
            HealthEndpointGroup readiness = group(context, "readiness");
            assertThat(readiness.isMember("grpcChannels")).isTrue();
            assertThat(readiness.getAdditionalPath()).hasToString("server:/readyz");
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            assertThat(groups).isInstanceOf(AdditionalPathsMapper.class);
            List<String> paths = ((AdditionalPathsMapper) groups).getAdditionalPaths(EndpointId.of("health"),
                    WebServerNamespace.SERVER);
            assertThat(paths).containsExactlyInAnyOrder("/livez", "/readyz");
        }
    }
}
