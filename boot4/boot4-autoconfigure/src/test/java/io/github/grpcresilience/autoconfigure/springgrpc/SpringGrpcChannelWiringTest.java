package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.observability.GrpcEndpoint;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.ChannelPools;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import io.github.grpcresilience.pool.ChannelPool;
import io.github.grpcresilience.transport.ChannelzSockets;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.client.ImportGrpcClients;

/**
 * Channels that Spring Boot's gRPC client builds get the starter: the kernel's TCP keepalive read
 * back through channelz after a real call, the HTTP/2 keepalive each side's explicit setting asks
 * for, one registered channel (or pool) per channel name shared by every stub of the name.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringGrpcChannelWiringTest {

    private Server server;
    private String address;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        address = "127.0.0.1:" + server.getPort();
        runner = SpringGrpcTesting.client()
                .withPropertyValues("spring.grpc.client.channel.inventory.target=static://" + address);
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private static void call(ManagedChannel channel) {
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance());
    }

    @Test
    void tcpKeepAliveReachesTheSocketOfABootChannel(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            call(SpringGrpcTesting.channel(context, "inventory"));
            List<Map<String, String>> sockets = ChannelzSockets.optionsOf(address);
            assertThat(sockets).hasSize(1);
            assertThat(sockets.get(0)).containsEntry("SO_KEEPALIVE", "true").containsEntry("TCP_KEEPIDLE", "20")
                    .containsEntry("TCP_KEEPINTVL", "5").containsEntry("TCP_KEEPCNT", "3");
        });
        assertThat(output.getAll()).contains("gRPC channel 'inventory': tcp-keepalive 20s + 3 x 5s, HTTP/2 keepalive 5m");
    }

    @Test
    void explicitBootKeepAliveTimeWinsOverTheStarterDefault(CapturedOutput output) {
        runner.withPropertyValues("spring.grpc.client.channel.inventory.keepalive.time=7m").run(context -> {
            assertThat(context).hasNotFailed();
            call(SpringGrpcTesting.channel(context, "inventory"));
        });
        assertThat(output.getAll()).contains("gRPC channel 'inventory': tcp-keepalive 20s + 3 x 5s, HTTP/2 keepalive 7m")
                .doesNotContain("overrides");
    }

    @Test
    void bothExplicitTheStartersWinsWithAWarningNamingBoth(CapturedOutput output) {
        runner.withPropertyValues("spring.grpc.client.channel.inventory.keepalive.time=7m",
                "grpc.resilience.client.channels.inventory.keepalive.time=1m").run(context -> {
                    assertThat(context).hasNotFailed();
                    call(SpringGrpcTesting.channel(context, "inventory"));
                });
        assertThat(output.getAll()).contains("HTTP/2 keepalive 1m").contains(
                "grpc.resilience.client.channels.inventory.keepalive.time overrides "
                        + "spring.grpc.client.channel.inventory.keepalive.time");
    }

    @Test
    void theChannelIsRegisteredUnderItsNameWithItsTarget() {
        runner.run(context -> {
            ManagedChannel channel = SpringGrpcTesting.channel(context, "inventory");
            call(channel);
            GrpcChannelRegistry registry = context.getBean(GrpcChannelRegistry.class);
            assertThat(registry.all()).singleElement().satisfies(entry -> {
                assertThat(entry.name()).isEqualTo("inventory");
                assertThat(entry.target()).isEqualTo("static://" + address);
                assertThat(entry.settings()).isNotNull();
                assertThat(((ObservedManagedChannel) channel).delegate()).isSameAs(entry.channel());
            });
        });
    }

    @Test
    void theGrpcEndpointShowsTheChannel() {
        runner.withConfiguration(AutoConfigurations.of(GrpcResilienceObservabilityAutoConfiguration.class,
                EndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=grpc").run(context -> {
                    assertThat(context).hasNotFailed();
                    call(SpringGrpcTesting.channel(context, "inventory"));
                    assertThat(context.getBean(GrpcEndpoint.class).grpc().channels()).containsOnlyKeys("inventory");
                });
    }

    @Test
    void twoStubsOfOneChannelShareOneRegisteredChannel() {
        runner.withUserConfiguration(TwoStubs.class).run(context -> {
            assertThat(context).hasNotFailed();
            var blocking = context.getBean(SimpleServiceGrpc.SimpleServiceBlockingStub.class);
            var future = context.getBean(SimpleServiceGrpc.SimpleServiceFutureStub.class);
            assertThat(blocking.getChannel()).isSameAs(future.getChannel());
            blocking.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
            future.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance())
                    .get(5, TimeUnit.SECONDS);
            assertThat(context.getBean(GrpcChannelRegistry.class).all()).singleElement()
                    .satisfies(entry -> assertThat(entry.name()).isEqualTo("inventory"));
            assertThat(ChannelzSockets.optionsOf(address)).as("one connection for both stubs").hasSize(1);
        });
    }

    @Test
    void aPoolTakesTheChannelsPlaceWhenEnabled() {
        runner.withPropertyValues("grpc.resilience.client.channels.inventory.pool.min-size=2",
                "grpc.resilience.client.channels.inventory.pool.max-size=4").run(context -> {
                    assertThat(context).hasNotFailed();
                    call(SpringGrpcTesting.channel(context, "inventory"));
                    GrpcChannelRegistry.Entry entry = context.getBean(GrpcChannelRegistry.class).get("inventory")
                            .orElseThrow();
                    assertThat(entry.channel()).isInstanceOf(ChannelPool.class);
                    assertThat(((ChannelPool) entry.channel()).size()).isEqualTo(2);
                    assertThat(context.getBean(ChannelPools.class).records()).hasSize(1);
                });
    }

    @Test
    void aChannelWithOptionsOfItsOwnIsNeitherSharedNorRegistered(CapturedOutput output) {
        runner.run(context -> {
            ManagedChannel shared = SpringGrpcTesting.channel(context, "inventory");
            ManagedChannel own = context.getBean(GrpcChannelFactory.class).createChannel("inventory",
                    ChannelBuilderOptions.defaults().withShutdownGracePeriod(Duration.ofSeconds(1)));
            assertThat(own).isNotSameAs(shared).isNotInstanceOf(ObservedManagedChannel.class);
            call(own);
            assertThat(SpringGrpcTesting.channel(context, "inventory")).isSameAs(shared);
            assertThat(context.getBean(GrpcChannelRegistry.class).all()).singleElement()
                    .satisfies(entry -> assertThat(entry.channel()).isSameAs(((ObservedManagedChannel) shared).delegate()));
        });
        assertThat(output.getAll()).containsOnlyOnce("gRPC channel 'inventory' was requested with options of its own");
    }

    @Test
    void failedCallsReachTheTransportFailureListeners() {
        List<String> failures = new CopyOnWriteArrayList<>();
        runner.withBean(TransportFailureListener.class, () -> (channel, code) -> failures.add(channel + " " + code))
                .run(context -> {
                    ManagedChannel channel = SpringGrpcTesting.channel(context, "inventory");
                    call(channel);
                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    assertThatThrownBy(() -> call(channel)).isInstanceOf(StatusRuntimeException.class);
                    assertThat(failures).contains("inventory UNAVAILABLE");
                });
    }

    @Test
    void theApplicationsCustomizersRunAfterTheStarters() {
        runner.withUserConfiguration(ApplicationCustomizer.class).run(context -> {
            assertThat(context).hasNotFailed();
            call(SpringGrpcTesting.channel(context, "inventory"));
            assertThat(context.getBean(ApplicationCustomizer.class).starterHadRun).containsExactly(true);
        });
    }

    /** A customizer as an application writes one (no order): records whether the starter's keepalive ran first. */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationCustomizer implements GrpcChannelBuilderCustomizer<NettyChannelBuilder> {
        final List<Boolean> starterHadRun = new CopyOnWriteArrayList<>();
        @Autowired
        private ResilientChannelConfigurer starter;

        @Override
        public void customize(String target, NettyChannelBuilder builder) {
            starterHadRun.add(starter.applied().containsKey(target));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportGrpcClients(target = "inventory", types = {SimpleServiceGrpc.SimpleServiceBlockingStub.class,
            SimpleServiceGrpc.SimpleServiceFutureStub.class})
    static class TwoStubs {
    }
}
