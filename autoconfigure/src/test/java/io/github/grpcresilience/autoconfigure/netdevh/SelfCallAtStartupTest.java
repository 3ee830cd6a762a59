package io.github.grpcresilience.autoconfigure.netdevh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.serverhealth.HoldingService;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import net.devh.boot.grpc.server.service.GrpcService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * An application that calls its own server while it starts, as warm-ups and self-checks do: from
 * an {@link ApplicationReadyEvent} listener it finds the server SERVING (as without the starter),
 * also through a channel with client-side health checking; from a {@link CommandLineRunner}
 * (before the application is ready) its server truthfully answers NOT_SERVING, and a health-checked
 * channel to its own server still carries the call instead of failing the start.
 */
class SelfCallAtStartupTest {

    @GrpcService
    static class SomeService extends HoldingService {
    }

    /** The application's own code: one Check("") per phase, through the channel named "self". */
    static class SelfCaller implements CommandLineRunner {
        final Map<String, String> seen = new ConcurrentHashMap<>();

        @GrpcClient("self")
        HealthGrpc.HealthBlockingStub health;

        @Value("${self-caller.from-runner:true}")
        boolean fromRunner;

        @Override
        public void run(String... args) {
            if (fromRunner) {
                seen.put("runner", check());
            }
        }

        @EventListener(ApplicationReadyEvent.class)
        void ready() {
            seen.put("ready", check());
        }

        private String check() {
            return health.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus().name();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        SomeService someService() {
            return new SomeService();
        }

        @Bean
        SelfCaller selfCaller() {
            return new SelfCaller();
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The application with its server on {@code host} and a health-checked channel "self" to it. */
    private static ConfigurableApplicationContext start(String host, String... args) {
        int port = freePort(host);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("grpc.server.port=" + port, "grpc.server.address=" + host, "spring.main.banner-mode=off",
                        "grpc.client.self.address=static://" + host + ":" + port,
                        "grpc.client.self.negotiation-type=plaintext",
                        "grpc.resilience.client.channels.self.health-check.enabled=true",
                        "grpc.resilience.server.shutdown.drain-delay=0s")
                .run(args);
    }

    @Test
    void aChannelToTheApplicationsOwnServerCarriesCallsBeforeAndAfterReady() {
        try (ConfigurableApplicationContext context = start("127.0.0.1")) {
            assertThat(context.getBean(SelfCaller.class).seen)
                    .containsEntry("runner", "NOT_SERVING")
                    .containsEntry("ready", "SERVING");
        }
    }

    @Test
    void aHealthCheckedChannelFindsTheServerServingFromAReadyListener() {
        // 127.0.0.2 is loopback too, but not recognised as this server: the channel is health-checked,
        // so before ready (a runner) it would find no serving backend; from a ready listener it does.
        try (ConfigurableApplicationContext context = start("127.0.0.2", "--self-caller.from-runner=false")) {
            assertThat(context.getBean(SelfCaller.class).seen).containsOnlyKeys("ready").containsEntry("ready", "SERVING");
        }
    }
}
