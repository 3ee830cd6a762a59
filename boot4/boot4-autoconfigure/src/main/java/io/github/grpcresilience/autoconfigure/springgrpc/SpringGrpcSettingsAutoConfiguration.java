package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot's explicit {@code spring.grpc.client.*} and {@code spring.grpc.server.*} properties,
 * for the channel and server settings, wherever Boot's gRPC client or server module is present.
 */
@AutoConfiguration
@Conditional(SpringGrpcSettingsAutoConfiguration.OnSpringGrpc.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceSettingsConfiguration.class)
public class SpringGrpcSettingsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UnderlyingGrpcSettings grpcResilienceSpringGrpcSettings(ConfiguredProperties configured) {
        return new SpringGrpcProperties(configured);
    }

    /** Boot's gRPC client or server auto-configuration is on the class path. */
    static final class OnSpringGrpc extends AnyNestedCondition {

        OnSpringGrpc() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnClass(name = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
        static final class Client {
        }

        @ConditionalOnClass(name = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration")
        static final class Server {
        }
    }
}
