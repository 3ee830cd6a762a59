package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.github.grpcresilience.testing.ManualScheduler;
import io.grpc.Server;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * A Spring Boot 4.1 application with Spring Boot's gRPC server on 127.0.0.1, an ephemeral port
 * ({@code spring.grpc.server.port=0}; the bound port comes from the started server), the starter
 * and actuator, serving {@link HoldingService}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class SpringGrpcServerTestApp implements GrpcServerListener {

    final AtomicReference<Server> server = new AtomicReference<>();

    @Bean
    HoldingService holdingService() {
        return new HoldingService();
    }

    @Override
    public void serverStarted(Server started) {
        if (started.getPort() > 0) { // not an in-process server
            server.set(started);
        }
    }

    static ConfigurableApplicationContext start(String... properties) {
        return start(null, properties);
    }

    /** With {@code time}, the starter's clock and scheduler are the test's: time moves only when it says. */
    static ConfigurableApplicationContext start(ManualScheduler time, String... properties) {
        String[] args = Arrays.stream(properties).map(property -> "--" + property).toArray(String[]::new);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(SpringGrpcServerTestApp.class);
        if (time != null) {
            builder.initializers(context -> {
                context.getBeanFactory().registerSingleton(GrpcResilienceScheduling.SCHEDULER, time);
                context.getBeanFactory().registerSingleton(GrpcResilienceScheduling.CLOCK, time.clock());
            });
        }
        return builder.web(WebApplicationType.NONE)
                .properties("spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "grpc.resilience.server.shutdown.drain-delay=0s",
                        "grpc.resilience.server.shutdown.grace-period=5s")
                .run(args);
    }

    static Server server(ConfigurableApplicationContext context) {
        return context.getBean(SpringGrpcServerTestApp.class).server.get();
    }

    /** The port Spring gRPC's Netty server bound, from its lifecycle bean (also without the starter). */
    static int port(ConfigurableApplicationContext context) {
        return context.getBean("nettyGrpcServerLifecycle", GrpcServerLifecycle.class).getPort();
    }
}
