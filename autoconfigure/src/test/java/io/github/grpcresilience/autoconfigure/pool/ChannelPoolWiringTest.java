package io.github.grpcresilience.autoconfigure.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.observability.EndpointJson;
import io.github.grpcresilience.autoconfigure.observability.GrpcEndpoint;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.pool.ChannelPool;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A pooled net.devh channel against a real server on loopback that runs at most 10 calls per
 * connection: the pool is the channel net.devh hands out, its members are built by net.devh's
 * factory with the channel's configuration, and registry, health, metrics, endpoint and log show it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelPoolWiringTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String POOL = "grpc.resilience.client.channels.inventory.pool.";

    private final HoldingService service = new HoldingService();
    /** Channels of "inventory" that net.devh's configurers saw: one per pool member. */
    private final AtomicInteger configured = new AtomicInteger();
    private Server server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrentCallsPerConnection(10).addService(service).build().start();
        runner = NetDevhTesting.withUserChannelConfigurer(new ApplicationContextRunner(), "countingConfigurer",
                (name, builder) -> {
                    if ("inventory".equals(name)) {
                        configured.incrementAndGet();
                    }
                })
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class, GrpcResiliencePoolAutoConfiguration.class,
                        EndpointAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.GLOBAL.address=static://127.0.0.1:" + server.getPort(),
                        "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s",
                        "management.endpoints.web.exposure.include=health,grpc");
    }

    @AfterEach
    void stop() throws Exception {
        service.release();
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPooledChannelRunsFiftyLongCallsAtOnceAndShowsItsMembers(CapturedOutput output) {
        runner.withPropertyValues(POOL + "max-size=5", POOL + "max-concurrent-calls-per-connection=9",
                POOL + "resize-interval=1h").run(context -> {
                    Channel channel = NetDevhTesting.channel(context, "inventory");
                    List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
                    for (int wave = 1; wave <= 5; wave++) {
                        for (int i = 0; i < 10; i++) {
                            calls.add(SimpleServiceGrpc.newFutureStub(channel).unaryRpc(
                                    SimpleRequest.newBuilder().setRequestMessage(HoldingService.HOLD).build()));
                        }
                        int held = wave * 10;
                        await().atMost(WAIT).until(() -> service.held() == held);
                        await().atMost(WAIT).until(() -> configured.get() >= Math.min(5, (held + 8) / 9));
                    }

                    GrpcChannelRegistry.Entry entry = context.getBean(GrpcChannelRegistry.class).get("inventory")
                            .orElseThrow();
                    assertThat(entry.channel()).isInstanceOf(ChannelPool.class);
                    assertThat(configured).as("every member built by net.devh's factory with its configurers")
                            .hasValue(5);
                    assertThat(context.getBean(HealthEndpoint.class).healthForPath("grpcChannels", "inventory")
                            .getStatus()).isEqualTo(Status.UP);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("grpc.client.pool.size").tag("channel", "inventory").gauge().value())
                            .isEqualTo(5);
                    assertThat(meters.get("grpc.client.pool.calls.in-flight").tag("channel", "inventory").gauge()
                            .value()).isEqualTo(50);

                    GrpcEndpoint endpoint = context.getBean(GrpcEndpoint.class);
                    Map<String, Object> pool = EndpointJson.of(endpoint.item("pools", "inventory"));
                    assertThat(pool).containsEntry("state", "READY").containsEntry("size", 5)
                            .containsEntry("callsInFlight", 50).containsEntry("resizes", 4);
                    assertThat((List<Map<String, Object>>) pool.get("members")).hasSize(5).allSatisfy(member ->
                            assertThat(member).containsEntry("state", "READY").containsEntry("callsInFlight", 10)
                                    .containsEntry("draining", false));
                    assertThat((Map<String, Object>) EndpointJson.of(endpoint.item("channels", "inventory")).get("settings"))
                            .extractingByKey("pool").asInstanceOf(InstanceOfAssertFactories.MAP)
                            .containsEntry("maxSize", 5).containsEntry("resizeInterval", "60m");
                    assertThat(output).contains("gRPC channel 'inventory': pool grew from 1 to 2 connections",
                            "gRPC channel 'inventory': pool grew from 4 to 5 connections");
                    ((ChannelPool) entry.channel()).resize(); // the periodic one, an hour away here
                    assertThat(output).contains("WARN").contains("gRPC channel 'inventory': pool is at max-size 5 with"
                            + " 50 calls in flight (more than 9 per connection): calls beyond the server's"
                            + " MAX_CONCURRENT_STREAMS queue; raise grpc.resilience.client.channels.inventory.pool.max-size");
                    assertThat(EndpointJson.of(endpoint.item("pools", "inventory"))).containsEntry("saturated", true)
                            .containsEntry("lastEvent", "saturated at 5 (peak 50 calls in flight)");

                    service.release();
                    await().atMost(WAIT).until(() -> calls.stream().allMatch(ListenableFuture::isDone));
                    context.close();
                    assertThat(((ManagedChannel) entry.channel()).isShutdown()).isTrue();
                    assertThat(meters.find("grpc.client.pool.size").meters()).as("removed when the pool shut down")
                            .isEmpty();
                });
    }

    @Test
    void netDevhsImmediateConnectTimeoutWaitsForAReadyMember() {
        runner.withPropertyValues(POOL + "max-size=5", "grpc.client.inventory.immediate-connect-timeout=5s")
                .run(context -> {
                    NetDevhTesting.channel(context, "inventory");
                    ManagedChannel pool = (ManagedChannel) context.getBean(GrpcChannelRegistry.class)
                            .get("inventory").orElseThrow().channel();
                    assertThat(pool).isInstanceOf(ChannelPool.class);
                    assertThat(pool.getState(false)).isEqualTo(ConnectivityState.READY);
                });
    }

    @Test
    void aPoolThatCannotConnectWithinTheImmediateConnectTimeoutFailsAsNetDevhsChannelDoes() {
        runner.withPropertyValues(POOL + "max-size=5", "grpc.client.inventory.address=static://127.0.0.1:1",
                "grpc.client.inventory.immediate-connect-timeout=1s").run(context ->
                        assertThatIllegalStateException().isThrownBy(() ->
                                NetDevhTesting.channel(context, "inventory"))
                                .withMessage("Can't connect to channel inventory"));
    }

    @Test
    void anInProcessChannelIsNeverPooled() {
        runner.withPropertyValues(POOL + "max-size=5", "grpc.client.inventory.address=in-process:test").run(context -> {
            NetDevhTesting.channel(context, "inventory");
            assertThat(context.getBean(ChannelPools.class).record("inventory")).isEmpty();
        });
    }

    @Test
    void withoutAPoolTheChannelIsNetDevhsOwn() {
        runner.run(context -> {
            NetDevhTesting.channel(context, "inventory");
            assertThat(context.getBean(GrpcChannelRegistry.class).get("inventory").orElseThrow().channel())
                    .isNotInstanceOf(ChannelPool.class);
            assertThat(configured).hasValue(1);
            assertThat(context.getBean(GrpcEndpoint.class).item("pools", "inventory")).isNull();
        });
    }
}
