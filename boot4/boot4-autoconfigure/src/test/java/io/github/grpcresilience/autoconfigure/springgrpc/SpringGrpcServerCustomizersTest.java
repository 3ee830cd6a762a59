package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The starter's customizers reach Spring Boot's server builder: ordered ones before the user's
 * Spring gRPC customizers, unordered ones last; its listeners hear of the started server.
 */
class SpringGrpcServerCustomizersTest {

    static final List<String> applied = new CopyOnWriteArrayList<>();

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        @Bean
        ServerBuilderCustomizer startersOrdered() {
            return new OrderedCustomizer("starter ordered", 0);
        }

        @Bean
        ServerBuilderCustomizer startersUnordered() {
            return builder -> applied.add("starter unordered");
        }

        @Bean
        UserCustomizer<?> usersFirst() {
            return new UserCustomizer<>("user first", Ordered.HIGHEST_PRECEDENCE);
        }

        @Bean
        UserCustomizer<?> usersOrdered() {
            return new UserCustomizer<>("user ordered", 0);
        }

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    record OrderedCustomizer(String name, int order) implements ServerBuilderCustomizer, Ordered {
        @Override
        public void customize(ServerBuilder<?> builder) {
            applied.add(name);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    record UserCustomizer<T extends ServerBuilder<T>>(String name, int order)
            implements org.springframework.grpc.server.ServerBuilderCustomizer<T>, Ordered {
        @Override
        public void customize(T builder) {
            applied.add(name);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    static class Listener implements GrpcServerListener {
        final List<Server> started = new CopyOnWriteArrayList<>();

        @Override
        public void serverStarted(Server server) {
            started.add(server);
        }
    }

    @Test
    void orderedStarterCustomizersRunBeforeTheUsersAndUnorderedOnesLast() {
        applied.clear();
        try (ConfigurableApplicationContext context = new org.springframework.boot.builder.SpringApplicationBuilder(
                SpringGrpcServerTestApp.class, Customizers.class)
                .web(org.springframework.boot.WebApplicationType.NONE)
                .properties("spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
                        "spring.main.banner-mode=off", "grpc.resilience.server.shutdown.drain-delay=0s")
                .run()) {
            assertThat(applied).containsSubsequence("user first", "starter ordered", "user ordered",
                    "starter unordered");
            assertThat(applied).endsWith("starter unordered");
            Server server = SpringGrpcServerTestApp.server(context);
            assertThat(server.getPort()).isPositive();
            assertThat(context.getBean(Listener.class).started).containsExactly(server);
        }
    }
}
