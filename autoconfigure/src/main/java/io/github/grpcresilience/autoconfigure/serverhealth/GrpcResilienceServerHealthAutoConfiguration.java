package io.github.grpcresilience.autoconfigure.serverhealth;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcServer;
import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.health.Boot3HealthContributors;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.serverhealth.InFlightCalls;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Server health that tells the truth and a graceful shutdown: grpc.health.v1 follows readiness and
 * actuator health; on close every status goes NOT_SERVING, the server drains, sends GOAWAY, gives
 * running calls a grace period and reports the calls it cut.
 */
@AutoConfiguration(after = GrpcResilienceKeepAliveAutoConfiguration.class,
        afterName = {"net.devh.boot.grpc.server.autoconfigure.GrpcHealthServiceAutoConfiguration",
                "org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
                "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration"},
        beforeName = "net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration")
@ConditionalOnClass(name = "io.grpc.protobuf.services.HealthStatusManager")
@ConditionalOnGrpcServer
@ConditionalOnBean({HealthStatusManager.class, ApplicationAvailability.class})
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceScheduling.class)
public class GrpcResilienceServerHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    InFlightCalls grpcResilienceInFlightCalls() {
        return new InFlightCalls();
    }

    @Bean
    ServerBuilderCustomizer grpcResilienceInFlightCallsConfigurer(InFlightCalls calls) {
        return builder -> builder.intercept(calls);
    }

    @Bean(destroyMethod = "destroy")
    @ConditionalOnMissingBean
    GrpcHealthBridge grpcResilienceHealthBridge(HealthStatusManager health, GrpcResilienceProperties properties,
            ObjectProvider<GrpcHealthBridge.ActuatorHealth> actuator, ApplicationAvailability availability,
            @Qualifier(GrpcResilienceScheduling.SCHEDULER) ScheduledExecutorService scheduler) {
        ServerHealthPropertiesCheck.check(properties.getServer());
        return new GrpcHealthBridge(health, properties.getServer().getHealth(),
                actuator.getIfAvailable(GrpcHealthBridge::none), availability, scheduler);
    }

    @Bean
    GrpcHealthBridge.ReadyListener grpcResilienceHealthReadyListener(GrpcHealthBridge bridge) {
        return new GrpcHealthBridge.ReadyListener(bridge);
    }

    @Bean
    GrpcServerDrain grpcResilienceServerDrain(ApplicationContext context, GrpcHealthBridge bridge,
            HealthStatusManager health, InFlightCalls calls, GrpcResilienceProperties properties,
            @Qualifier(GrpcResilienceScheduling.SCHEDULER) ScheduledExecutorService scheduler) {
        return new GrpcServerDrain(context, bridge, health, calls, properties.getServer().getShutdown(), scheduler);
    }

    /** Spring Boot 3's health API; Spring Boot 4's glue is in the Spring Boot 4 module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthEndpoint")
    static class ActuatorHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GrpcHealthBridge.ActuatorHealth grpcResilienceActuatorHealth(ObjectProvider<HealthEndpoint> endpoint) {
            return new ActuatorHealthLookup(endpoint);
        }
    }

    /** Spring Boot 3's health API; Spring Boot 4's glue is in the Spring Boot 4 module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("grpcServer")
    static class HealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "grpcServerHealthIndicator")
        HealthIndicator grpcServerHealthIndicator(GrpcHealthBridge bridge) {
            return Boot3HealthContributors.indicator(new GrpcServerHealth(bridge));
        }
    }
}
