package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcHealthBridge;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcResilienceServerHealthAutoConfiguration;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The starter's server health on Spring Boot's gRPC server. The generic
 * {@link GrpcResilienceServerHealthAutoConfiguration} runs on the {@code HealthStatusManager} that
 * Spring Boot creates whenever its server runs (an application with a {@code BindableService};
 * {@code spring.grpc.server.health.enabled=false} removes it, and the starter's server health with
 * it). Its {@link GrpcHealthBridge} owns the statuses: Spring Boot's own push is off by default
 * ({@link SpringGrpcServerHealthDefaults}), and turning it back on fails the startup.
 *
 * <p>The drain needs nothing here: the starter's {@code GrpcServerDrain} runs on
 * {@code ContextClosedEvent}, which the context publishes before it stops any lifecycle, so Spring
 * gRPC's {@code GrpcServerLifecycle} (which sends GOAWAY at once) finds the server terminated, is
 * no longer running and is not stopped.
 */
@AutoConfiguration(after = GrpcResilienceServerHealthAutoConfiguration.class)
@ConditionalOnClass(GrpcServerStartedEvent.class)
@ConditionalOnBean(GrpcHealthBridge.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class SpringGrpcServerHealthAutoConfiguration {

    @Bean
    InitializingBean grpcResilienceSpringGrpcHealthOwnershipCheck(ConfiguredProperties configured) {
        return () -> SpringGrpcServerHealthOwnershipCheck.check(configured);
    }
}
