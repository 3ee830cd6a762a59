package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.grpc.Channel;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Multi-address static: targets with observation on, round_robin and client-side health checking,
 * over three real servers. net.devh's documented {@code static://a,b,c} fails at channel creation on
 * grpc-java 1.83+, and with observation on every call fails in Micrometer: both are tested here.
 */
class ClientLoadBalancingTest {

    private static final int BOUND = 200;

    private final List<AttemptServer> servers = new java.util.ArrayList<>();
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            servers.add(new AttemptServer());
        }
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withConfiguration(NetDevhTesting.clientObservation())
                // an observation registry with a handler: observation is on, as with actuator
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(context -> true);
                    return registry;
                })
                .withPropertyValues("grpc.client.test.negotiation-type=plaintext",
                        "grpc.client.test.shutdown-grace-period=0s");
    }

    @AfterEach
    void stop() {
        servers.forEach(AttemptServer::close);
    }

    private String addresses() {
        return servers.stream().map(AttemptServer::target).collect(Collectors.joining(","));
    }

    private static void call(AssertableApplicationContext context) {
        Channel channel = NetDevhTesting.channel(context, "test");
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance());
    }

    /** Calls until every server in {@code expected} has had a call; bounded. */
    private void callUntilServed(AssertableApplicationContext context, List<AttemptServer> expected) {
        for (int i = 0; i < BOUND && expected.stream().anyMatch(server -> server.attempts.isEmpty()); i++) {
            call(context);
        }
        assertThat(expected).allSatisfy(server -> assertThat(server.attempts).isNotEmpty());
    }

    @Test
    void netDevhMultiAddressFormSpreadsCallsWithObservationOn() {
        runner.withPropertyValues("grpc.client.test.address=static://" + addresses())
                .run(context -> callUntilServed(context, servers));
    }

    @Test
    void rfc3986MultiAddressFormSpreadsCallsWithObservationOn() {
        runner.withPropertyValues("grpc.client.test.address=static:///" + addresses())
                .run(context -> callUntilServed(context, servers));
    }

    @Test
    void notServingBackendGetsNoCallsUntilItServesAgain() {
        AttemptServer sick = servers.get(1);
        sick.health.setStatus("", ServingStatus.NOT_SERVING);
        runner.withPropertyValues("grpc.client.test.address=static://" + addresses(),
                "grpc.resilience.client.channels.test.health-check.enabled=true").run(context -> {
                    callUntilServed(context, List.of(servers.get(0), servers.get(2)));
                    for (int i = 0; i < 30; i++) {
                        call(context);
                    }
                    assertThat(sick.attempts).isEmpty();

                    sick.health.setStatus("", ServingStatus.SERVING);
                    callUntilServed(context, List.of(sick));
                });
    }

    @Test
    void withoutHealthCheckingTheNotServingBackendStillGetsCalls() {
        AttemptServer sick = servers.get(1);
        sick.health.setStatus("", ServingStatus.NOT_SERVING);
        runner.withPropertyValues("grpc.client.test.address=static://" + addresses())
                .run(context -> callUntilServed(context, List.of(sick)));
    }

    @Test
    void malformedStaticTargetFailsAtStartupNamingTheAddress() {
        runner.withPropertyValues("grpc.client.test.address=static://" + servers.get(0).target() + ",127.0.0.1:")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                            .hasMessageStartingWith("grpc.client.test.address=static://")
                            .hasMessageEndingWith(": a static: target lists host:port addresses, and "
                                    + "'127.0.0.1:' is not host:port");
                });
    }
}
