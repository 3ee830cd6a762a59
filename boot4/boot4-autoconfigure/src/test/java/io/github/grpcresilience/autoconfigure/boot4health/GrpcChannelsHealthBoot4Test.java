package io.github.grpcresilience.autoconfigure.boot4health;

import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.details;
import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.health;
import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code grpcChannels} on Spring Boot 4.1, read through Boot 4's health endpoint, over a real Netty
 * channel on loopback registered the way an adapter registers the channels it builds.
 */
class GrpcChannelsHealthBoot4Test {

    private final ManualScheduler time = new ManualScheduler(new ManualClock());
    private final ApplicationContextRunner runner = Boot4Health.onManualTime(new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    GrpcResilienceChannelRegistryAutoConfiguration.class,
                    GrpcResilienceObservabilityAutoConfiguration.class, GrpcResilienceHealthAutoConfiguration.class))
            .withConfiguration(Boot4Health.ACTUATOR)
            // what an adapter that builds client channels defines; it switches the channel registry on
            .withBean(ConfiguredChannels.class, () -> name -> Duration.ZERO)
            .withPropertyValues("management.endpoints.web.exposure.include=health",
                    "grpc.resilience.client.channels.inventory.health.transient-failure-grace=2s",
                    "grpc.resilience.client.channels.inventory.health.connecting-grace=2s"), time);

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** A call as the application makes one; a failure is recorded as the adapter's interceptor records it. */
    private boolean call(GrpcChannelRegistry.Entry entry) {
        try {
            SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException ex) {
            entry.monitor().recordFailure(ex.getStatus());
            return false;
        }
    }

    @Test
    void aChannelRegisteredAfterStartupIsUpWhenReadyAndDownAfterItsGraceOnceItsServerIsGone() {
        runner.run(context -> {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            String target = "static://127.0.0.1:" + server.getPort();
            GrpcChannelRegistry.Entry entry = context.getBean(GrpcChannelRegistry.class)
                    .register("inventory", target, channel, Map.of());
            assertThat(call(entry)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> "READY".equals(details(context, "grpcChannels",
                    "inventory").get("state")));
            assertThat(status(context, "grpcChannels", "inventory")).isEqualTo(Status.UP);
            assertThat(details(context, "grpcChannels", "inventory")).containsEntry("target", target)
                    .containsEntry("tooManyPings", 0L).containsEntry("critical", true).containsKey("since")
                    .doesNotContainKeys("lastFailure", "inGraceUntil", "verdict");
            assertThat(status(context, "readiness")).isEqualTo(Status.UP);

            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            // a call that raced the connection's close leaves the channel IDLE: the next one reconnects
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> !call(entry)
                    && "TRANSIENT_FAILURE".equals(details(context, "grpcChannels", "inventory").get("state")));
            assertThat(status(context, "grpcChannels", "inventory")).as("inside the grace").isEqualTo(Status.UP);
            assertThat(details(context, "grpcChannels", "inventory")).containsKey("inGraceUntil")
                    .hasEntrySatisfying("lastFailure", failure -> assertThat(failure).asString()
                            .startsWith("UNAVAILABLE"));

            time.advance(Duration.ofSeconds(2));
            assertThat(status(context, "grpcChannels", "inventory")).as("at the end of the grace")
                    .isEqualTo(Status.UP);
            time.advance(Duration.ofNanos(1));
            assertThat(status(context, "grpcChannels", "inventory")).as("after the grace").isEqualTo(Status.DOWN);
            assertThat(status(context, "grpcChannels")).isEqualTo(Status.DOWN);
            // Spring Boot 4 turns the availability probes on by default: readiness fails, liveness does not
            assertThat(status(context, "readiness")).isEqualTo(Status.DOWN);
            assertThat(status(context, "liveness")).isEqualTo(Status.UP);
        });
    }

    @Test
    void grpcChannelsJoinsTheReadinessGroupOnly() {
        runner.run(context -> {
            context.getBean(GrpcChannelRegistry.class).register("inventory", "test", channel, Map.of());
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            assertThat(groups.get("readiness").isMember("grpcChannels/inventory")).isTrue();
            assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
            assertThat(groups.get("liveness").isMember("grpcChannels/inventory")).isFalse();
            assertThat(((CompositeHealthDescriptor) health(context, "readiness")).getComponents())
                    .containsOnlyKeys("readinessState", "grpcChannels");
            assertThat(((CompositeHealthDescriptor) health(context, "liveness")).getComponents())
                    .containsOnlyKeys("livenessState");
        });
    }

    @Test
    void withoutProbesThereIsNoReadinessGroupAndNoneIsCreated() {
        runner.withPropertyValues("management.endpoint.health.probes.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HealthEndpointGroups.class).getNames()).doesNotContain("readiness");
        });
    }

    @Test
    void aReadinessGroupTheApplicationListsKeepsItsList() {
        runner.withPropertyValues("management.endpoint.health.group.readiness.include=readinessState").run(context -> {
            context.getBean(GrpcChannelRegistry.class).register("inventory", "test", channel, Map.of());
            assertThat(context.getBean(HealthEndpointGroups.class).get("readiness")
                    .isMember("grpcChannels/inventory")).isFalse();
        });
    }

    @Test
    void theIndicatorCanBeSwitchedOffOrReplacedByName() {
        runner.withPropertyValues("management.health.grpcChannels.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("grpcChannelsHealthContributor")
                    .doesNotHaveBean("grpcChannelHealthLogger");
        });
        runner.withBean("grpcChannelsHealthContributor", HealthIndicator.class,
                () -> () -> Health.outOfService().build()).run(context -> {
                    assertThat(status(context, "grpcChannels")).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(context).hasBean("grpcChannelHealthLogger");
                });
    }

    /**
     * Spring gRPC's server health reads Boot's contributor registry, which spring-boot-health has
     * without actuator; health groups are actuator's.
     */
    @Test
    void withSpringBootHealthAloneGrpcChannelsIsRegisteredWithoutAnyGroup() {
        new ApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint"))
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class, GrpcResilienceHealthAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class))
                .withBean(ConfiguredChannels.class, () -> name -> Duration.ZERO).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("grpcChannelsReadinessMembership");
                    context.getBean(GrpcChannelRegistry.class).register("inventory", "test", channel, Map.of());
                    assertThat(context.getBean(HealthContributorRegistry.class).getContributor("grpcChannels"))
                            .isInstanceOf(CompositeHealthContributor.class);
                });
    }
}
