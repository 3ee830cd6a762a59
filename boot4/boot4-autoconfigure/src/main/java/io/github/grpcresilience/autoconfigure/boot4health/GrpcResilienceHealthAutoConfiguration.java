package io.github.grpcresilience.autoconfigure.boot4health;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.observability.ChannelHealthLogConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcChannelsHealth;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcHealthBridge;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcResilienceServerHealthAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcServerHealth;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcStreamsHealth;
import io.github.grpcresilience.autoconfigure.stream.StreamSettingsResolver;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.stream.StreamSupervisor;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The starter's health on Spring Boot 4: {@code grpcChannels} (and its readiness membership and
 * log), {@code grpcStreams}, {@code grpcServer} and the actuator lookup of the mapped grpc.health.v1
 * names. The same beans, names and conditions as the Spring Boot 3 health configurations nested in
 * the observability, streams and server health auto-configurations, which Spring Boot 4 skips
 * (they are conditional on Boot 3's health classes); it comes after those auto-configurations,
 * whose beans it maps.
 */
@AutoConfiguration(after = {GrpcResilienceObservabilityAutoConfiguration.class,
        GrpcResilienceStreamsAutoConfiguration.class, GrpcResilienceServerHealthAutoConfiguration.class},
        // registered after Boot's probe groups post-processor, so the membership sees the readiness group
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthContributor")
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class GrpcResilienceHealthAutoConfiguration {

    /** {@code grpcChannels}, where the channel registry exists. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(GrpcChannelRegistry.class)
    @ConditionalOnEnabledHealthIndicator("grpcChannels")
    @Import({GrpcResilienceScheduling.class, GrpcResilienceSettingsConfiguration.class,
            ChannelHealthLogConfiguration.class})
    static class ChannelsHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "grpcChannelsHealthContributor")
        HealthContributor grpcChannelsHealthContributor(GrpcChannelRegistry registry, GoAwayRegistry goAways,
                ChannelSettingsResolver settings, @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
            return Boot4HealthContributors.composite(
                    new GrpcChannelsHealth(registry, goAways, settings, grpcResilienceClock));
        }

        /**
         * Health groups are actuator's: spring-boot-health alone (which Spring gRPC's server health
         * reads) has none. A configuration of its own, so that the membership class, which implements
         * an actuator interface, is not loaded without actuator.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper",
                "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor"})
        static class ReadinessMembershipConfiguration {

            @Bean
            GrpcChannelsReadinessMembership grpcChannelsReadinessMembership(Environment environment) {
                return new GrpcChannelsReadinessMembership(environment);
            }
        }
    }

    /** {@code grpcStreams}, where the stream supervisor exists. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(StreamSupervisor.class)
    @ConditionalOnEnabledHealthIndicator("grpcStreams")
    @Import(GrpcResilienceScheduling.class)
    static class StreamsHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "grpcStreamsHealthContributor")
        HealthContributor grpcStreamsHealthContributor(StreamSupervisor supervisor, StreamSettingsResolver settings,
                @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
            return Boot4HealthContributors.composite(new GrpcStreamsHealth(supervisor, settings, grpcResilienceClock));
        }
    }

    /** {@code grpcServer} and the actuator lookup, where the server's health bridge exists. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(GrpcHealthBridge.class)
    static class ServerHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnClass(name = {"org.springframework.boot.health.actuate.endpoint.HealthEndpoint",
                "org.springframework.boot.actuate.endpoint.annotation.Endpoint"})
        GrpcHealthBridge.ActuatorHealth grpcResilienceActuatorHealth(ObjectProvider<HealthEndpoint> endpoint) {
            return new ActuatorHealthLookup(endpoint);
        }

        @Bean
        @ConditionalOnMissingBean(name = "grpcServerHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("grpcServer")
        HealthIndicator grpcServerHealthIndicator(GrpcHealthBridge bridge) {
            return Boot4HealthContributors.indicator(new GrpcServerHealth(bridge));
        }
    }
}
