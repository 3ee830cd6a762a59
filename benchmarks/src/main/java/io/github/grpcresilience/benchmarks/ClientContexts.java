package io.github.grpcresilience.benchmarks;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhChannelFactoryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhClientAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Spring Boot client contexts as an application would have them: net.devh, with or without the starter. */
final class ClientContexts {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({GrpcResilienceKeepAliveAutoConfiguration.class,
            GrpcResilienceServiceConfigAutoConfiguration.class, GrpcResilienceChannelRegistryAutoConfiguration.class,
            NetDevhClientAutoConfiguration.class, NetDevhChannelFactoryAutoConfiguration.class, GrpcResilienceStreamsAutoConfiguration.class,
            GrpcResiliencePoolAutoConfiguration.class,
            GrpcClientAutoConfiguration.class})
    static class Client {
    }

    private ClientContexts() {
    }

    /** Plain net.devh: the starter switched off. */
    static ConfigurableApplicationContext plainNetDevh(int port, String... properties) {
        List<String> all = new ArrayList<>(List.of(properties));
        all.add("grpc.resilience.enabled=false");
        return start(port, all.toArray(String[]::new));
    }

    static ConfigurableApplicationContext withStarter(int port, String... properties) {
        return start(port, properties);
    }

    private static ConfigurableApplicationContext start(int port, String... properties) {
        List<String> all = new ArrayList<>(List.of("grpc.client.GLOBAL.address=static://127.0.0.1:" + port,
                "grpc.client.GLOBAL.negotiation-type=plaintext", "grpc.client.GLOBAL.shutdown-grace-period=0s",
                "spring.main.banner-mode=off", "logging.level.root=WARN"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(Client.class).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }
}
