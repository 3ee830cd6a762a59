package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcClient;
import io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcServer;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.health.Boot3HealthContributors;
import io.github.grpcresilience.autoconfigure.keepalive.ServerKeepAliveSettings;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Health ({@code grpcChannels}), metrics ({@code grpc.client.channel.*}) and the {@code grpc}
 * actuator endpoint, each switched on when actuator and Micrometer are present.
 */
@AutoConfiguration(after = GrpcResilienceChannelRegistryAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        // the same two on Spring Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        // registered after Boot's probe groups post-processor, so it sees the readiness group
        "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration"})
@ConditionalOnBean(GrpcChannelRegistry.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import({GrpcResilienceScheduling.class, GrpcResilienceSettingsConfiguration.class})
public class GrpcResilienceObservabilityAutoConfiguration {

    /** Spring Boot 3's health API; Spring Boot 4's glue is in the Spring Boot 4 module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthContributor")
    @ConditionalOnEnabledHealthIndicator("grpcChannels")
    @Import(ChannelHealthLogConfiguration.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "grpcChannelsHealthContributor")
        HealthContributor grpcChannelsHealthContributor(GrpcChannelRegistry registry, GoAwayRegistry goAways,
                ChannelSettingsResolver settings, @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
            return Boot3HealthContributors.composite(
                    new GrpcChannelsHealth(registry, goAways, settings, grpcResilienceClock));
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor")
        GrpcChannelsReadinessMembership grpcChannelsReadinessMembership(Environment environment) {
            return new GrpcChannelsReadinessMembership(environment);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GrpcChannelMetrics grpcChannelMetrics(MeterRegistry meters, GrpcChannelRegistry registry,
                GoAwayRegistry goAways) {
            GrpcChannelMetrics metrics = new GrpcChannelMetrics(meters, registry);
            registry.subscribe(metrics);
            goAways.subscribe(metrics);
            return metrics;
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnGrpcClient
        GrpcCallAttemptMetrics grpcCallAttemptMetrics(MeterRegistry meters, GrpcChannelRegistry registry) {
            GrpcCallAttemptMetrics metrics = new GrpcCallAttemptMetrics(meters);
            registry.subscribe(metrics);
            return metrics;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @ConditionalOnAvailableEndpoint(endpoint = GrpcEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GrpcEndpoint grpcEndpoint(GrpcChannelRegistry registry, GoAwayRegistry goAways,
                ObjectProvider<GrpcServerView> server, ObjectProvider<GrpcEndpointSection<?>> sections) {
            return new GrpcEndpoint(registry, goAways, server, sections);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnGrpcServer
        @ConditionalOnClass(name = "io.grpc.protobuf.services.HealthStatusManager")
        GrpcServerView grpcServerView(ServerKeepAliveSettings settings, ObjectProvider<HealthStatusManager> health) {
            return new GrpcServerView(settings, health);
        }
    }
}
