package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Startup checks of net.devh's TLS settings ({@code grpc.client.<name>.security.*},
 * {@code grpc.server.security.*}): a missing or unreadable certificate, key or trust file, or one
 * that net.devh would silently ignore (leaving a channel or the server plaintext, or a client
 * without its certificate), fails the startup with a message that names the property. The checks
 * run when net.devh's properties are bound, before any channel or the server is built.
 */
@AutoConfiguration(beforeName = {
        "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration"})
@ConditionalOnClass(name = "net.devh.boot.grpc.common.security.KeyStoreUtils")
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class NetDevhTlsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.devh.boot.grpc.client.config.GrpcChannelsProperties")
    static class ClientConfiguration {

        @Bean
        static ClientTlsCheck grpcResilienceClientTlsCheck(Environment environment) {
            return new ClientTlsCheck(environment);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.devh.boot.grpc.server.config.GrpcServerProperties")
    static class ServerConfiguration {

        @Bean
        static ServerTlsCheck grpcResilienceServerTlsCheck(Environment environment) {
            return new ServerTlsCheck(environment);
        }
    }
}
