package io.github.grpcresilience.autoconfigure.boot4health;

import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.details;
import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcHealthBridge;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcResilienceServerHealthAutoConfiguration;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * {@code grpcServer} and the mapped grpc.health.v1 names on Spring Boot 4.1: a real Netty server on
 * loopback serves the health service the bridge feeds, and a mapped name follows an actuator
 * contributor read through Boot 4's health endpoint. The test tells the server listeners of the
 * start, as the Spring gRPC adapter does.
 */
class GrpcServerHealthBoot4Test {

    /** An actuator health contributor the test turns DOWN. */
    static final class Downstream implements HealthIndicator {
        volatile Status status = Status.UP;

        @Override
        public Health health() {
            return Health.status(status).build();
        }
    }

    private final HealthStatusManager manager = new HealthStatusManager();
    private final Downstream downstream = new Downstream();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    GrpcResilienceServerHealthAutoConfiguration.class,
                    GrpcResilienceHealthAutoConfiguration.class))
            .withConfiguration(Boot4Health.ACTUATOR)
            // what Spring Boot's gRPC server health auto-configuration defines
            .withBean(HealthStatusManager.class, () -> manager)
            .withBean("downstream", HealthIndicator.class, () -> downstream)
            .withPropertyValues("management.endpoints.web.exposure.include=health",
                    "management.endpoint.health.group.readiness.include=readinessState,downstream",
                    "grpc.resilience.server.health.services.orders.include=downstream");

    private static ServingStatus check(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static void started(ApplicationContext context, Server server) {
        context.getBeansOfType(GrpcServerListener.class).values().forEach(listener -> listener.serverStarted(server));
    }

    @Test
    void grpcServerAndTheMappedNamesFollowActuatorHealthThroughBoot4sEndpoint() throws Exception {
        runner.run(context -> {
            assertThat(status(context, "grpcServer")).as("before the server started").isEqualTo(Status.UNKNOWN);
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(manager.getHealthService()).addService(new TestServers.QuietService()).build().start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                    .build();
            try {
                started(context, server);
                AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(check(channel, "orders")).isEqualTo(ServingStatus.SERVING);
                assertThat(check(channel, "readiness")).isEqualTo(ServingStatus.SERVING);
                assertThat(check(channel, "liveness")).isEqualTo(ServingStatus.SERVING);
                assertThat(status(context, "grpcServer")).isEqualTo(Status.UP);
                assertThat(details(context, "grpcServer")).containsEntry("port", server.getPort())
                        .hasEntrySatisfying("services", services -> assertThat(services).asString()
                                .contains("orders=SERVING"));

                // read through Boot 4's health endpoint: without it, 'orders' would be UNKNOWN and
                // 'readiness' would follow the availability state, which still accepts traffic
                downstream.status = Status.DOWN;
                context.getBean(GrpcHealthBridge.class).refresh();
                assertThat(check(channel, "orders")).isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(check(channel, "readiness")).as("the readiness group").isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(check(channel, "liveness")).isEqualTo(ServingStatus.SERVING);
                assertThat(check(channel, "")).isEqualTo(ServingStatus.SERVING);

                context.getBean(GrpcHealthBridge.class).terminate();
                assertThat(status(context, "grpcServer")).as("once shutdown has begun")
                        .isEqualTo(Status.OUT_OF_SERVICE);
            } finally {
                channel.shutdownNow();
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void theIndicatorCanBeSwitchedOffAndTheLookupReplaced() {
        runner.withPropertyValues("management.health.grpcServer.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("grpcServerHealthIndicator")
                    .hasSingleBean(GrpcHealthBridge.ActuatorHealth.class);
        });
        GrpcHealthBridge.ActuatorHealth own = name -> java.util.Optional.of("UP");
        runner.withBean(GrpcHealthBridge.ActuatorHealth.class, () -> own).run(context -> {
            assertThat(context.getBean(GrpcHealthBridge.ActuatorHealth.class)).isSameAs(own);
        });
    }
}
