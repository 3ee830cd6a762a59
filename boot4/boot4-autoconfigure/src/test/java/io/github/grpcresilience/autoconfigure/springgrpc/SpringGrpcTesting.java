package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.grpc.ManagedChannel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.CompositeChannelFactoryAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;

/** Spring Boot's gRPC client with the starter's client side, as an application on Boot 4.1 gets them. */
final class SpringGrpcTesting {

    private SpringGrpcTesting() {
    }

    static ApplicationContextRunner client() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
                GrpcResilienceKeepAliveAutoConfiguration.class, GrpcResilienceServiceConfigAutoConfiguration.class,
                GrpcResilienceChannelRegistryAutoConfiguration.class, GrpcResiliencePoolAutoConfiguration.class,
                SpringGrpcSettingsAutoConfiguration.class, SpringGrpcClientAutoConfiguration.class,
                SpringGrpcChannelFactoryAutoConfiguration.class, SslAutoConfiguration.class,
                GrpcClientAutoConfiguration.class, CompositeChannelFactoryAutoConfiguration.class));
    }

    /** The channel Boot's primary factory hands out for {@code name}, as a stub would get it. */
    static ManagedChannel channel(ApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }
}
