package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.health.SystemHealth;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Per-channel health, metrics and the grpc endpoint over real channels and servers on loopback. */
class GrpcChannelObservabilityTest {

    private Server server;
    private int port;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        port = server.getPort();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class,
                        EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.GLOBAL.address=static://127.0.0.1:" + port,
                        "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s",
                        "management.endpoints.web.exposure.include=health,grpc");
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private static boolean call(AssertableApplicationContext context, String channel) {
        try {
            SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, channel))
                    .withDeadlineAfter(2, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException ex) {
            return false;
        }
    }

    private static HealthComponent health(AssertableApplicationContext context, String... path) {
        return context.getBean(HealthEndpoint.class).healthForPath(path);
    }

    private static Status status(AssertableApplicationContext context, String... path) {
        return health(context, path).getStatus();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(AssertableApplicationContext context, String channel) {
        return ((org.springframework.boot.actuate.health.Health) health(context, "grpcChannels", channel)).getDetails();
    }

    /** The starter's clock and scheduler are the test's: graces end exactly when the test moves the clock. */
    private ApplicationContextRunner onManualTime(ManualScheduler time) {
        return runner.withBean(GrpcResilienceScheduling.CLOCK, Clock.class, time::clock)
                .withBean(GrpcResilienceScheduling.SCHEDULER, ScheduledExecutorService.class, () -> time);
    }

    @Test
    void healthIsUpWhenReadyDownAfterTheGraceAndUpAgainWhenTheServerReturns() {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        onManualTime(time).withPropertyValues("grpc.resilience.client.channels.inventory.health.transient-failure-grace=2s",
                "grpc.resilience.client.channels.inventory.health.connecting-grace=2s").run(context -> {
                    assertThat(call(context, "inventory")).isTrue();
                    assertThat(status(context, "grpcChannels", "inventory")).isEqualTo(Status.UP);
                    assertThat(details(context, "inventory")).containsEntry("state", "READY")
                            .containsEntry("target", "static://127.0.0.1:" + port).containsKey("since")
                            .containsEntry("tooManyPings", 0L);

                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    assertThat(call(context, "inventory")).isFalse();
                    await().atMost(Duration.ofSeconds(5)).until(() -> "TRANSIENT_FAILURE"
                            .equals(details(context, "inventory").get("state")));
                    // inside the grace: UP, with the failure and the end of the grace in the details
                    assertThat(status(context, "grpcChannels", "inventory")).isEqualTo(Status.UP);
                    assertThat(details(context, "inventory")).containsKey("inGraceUntil")
                            .hasEntrySatisfying("lastFailure", failure -> assertThat(failure).asString()
                                    .startsWith("UNAVAILABLE"));

                    time.advance(Duration.ofSeconds(2));
                    assertThat(status(context, "grpcChannels", "inventory")).as("at the end of the grace")
                            .isEqualTo(Status.UP);
                    time.advance(Duration.ofNanos(1));
                    assertThat(status(context, "grpcChannels", "inventory")).as("after the grace")
                            .isEqualTo(Status.DOWN);
                    assertThat(status(context, "grpcChannels")).isEqualTo(Status.DOWN);

                    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                            .addService(new TestServers.QuietService()).build().start();
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .until(() -> call(context, "inventory"));
                    assertThat(status(context, "grpcChannels", "inventory")).isEqualTo(Status.UP);
                });
    }

    @Test
    void aNonCriticalChannelNeverTurnsTheAggregateDown() {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        onManualTime(time).withPropertyValues("grpc.client.reports.address=static://127.0.0.1:1",
                "grpc.resilience.client.channels.reports.health.critical=false",
                "grpc.resilience.client.channels.reports.health.transient-failure-grace=1s",
                "grpc.resilience.client.channels.reports.health.connecting-grace=1s").run(context -> {
                    assertThat(call(context, "inventory")).isTrue();
                    assertThat(call(context, "reports")).isFalse();
                    time.advance(Duration.ofSeconds(1).plusNanos(1));
                    assertThat(details(context, "reports")).containsEntry("verdict", "DOWN");
                    assertThat(status(context, "grpcChannels", "reports")).isEqualTo(Status.UP);
                    assertThat(details(context, "reports")).containsEntry("critical", false);
                    assertThat(status(context, "grpcChannels")).isEqualTo(Status.UP);
                    assertThat(((SystemHealth) context.getBean(HealthEndpoint.class).health()).getStatus())
                            .isEqualTo(Status.UP);
                });
    }

    @Test
    void idleAfterTheIdleTimeoutStaysUp() {
        runner.withPropertyValues("grpc.resilience.client.channels.inventory.idle-timeout=1s").run(context -> {
            assertThat(call(context, "inventory")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> "IDLE".equals(details(context, "inventory").get("state")));
            assertThat(status(context, "grpcChannels", "inventory")).isEqualTo(Status.UP);
        });
    }

    @Test
    void metricsAreTaggedPerChannelAndNoChannelOrMeterOutlivesTheContext() throws Exception {
        MeterRegistry[] meters = new MeterRegistry[1];
        ManagedChannel[] channel = new ManagedChannel[1];
        runner.run(context -> {
            meters[0] = context.getBean(MeterRegistry.class);
            assertThat(call(context, "inventory")).isTrue();
            channel[0] = context.getBean(GrpcChannelRegistry.class).get("inventory").orElseThrow().channel();
            // the state monitor hears of READY on grpc-java's executor, possibly after the call returned
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                assertThat(meters[0].get("grpc.client.channel.state").tags("channel", "inventory", "state", "ready")
                        .gauge().value()).isEqualTo(1.0);
                assertThat(meters[0].get("grpc.client.channel.transitions")
                        .tags("channel", "inventory", "from", "connecting", "to", "ready").counter().count())
                        .isEqualTo(1.0);
            });
            assertThat(meters[0].get("grpc.client.channel.state").tags("channel", "inventory", "state", "idle")
                    .gauge().value()).isEqualTo(0.0);

            // A graceful server shutdown sends GOAWAY NO_ERROR; the next call fails UNAVAILABLE.
            server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> meters[0].find("grpc.client.channel.goaway")
                    .tags("channel", "inventory", "reason", "no_error").counter() != null);
            assertThat(call(context, "inventory")).isFalse();
            assertThat(meters[0].get("grpc.client.channel.failures").tags("channel", "inventory", "code", "UNAVAILABLE")
                    .counter().count()).isGreaterThanOrEqualTo(1.0);
        });
        assertThat(channel[0].isShutdown()).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters[0].getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("grpc.client.channel.")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void endpointShowsTheMergedSettingsOfEachChannel() {
        runner.withPropertyValues("grpc.resilience.client.defaults.tcp-keepalive.idle=25s",
                "grpc.resilience.client.channels.inventory.keepalive.time=6m",
                "grpc.resilience.client.channels.inventory.health.critical=false",
                "grpc.resilience.client.channels.inventory.retry.max-attempts=4").run(context -> {
                    assertThat(call(context, "inventory")).isTrue();
                    GrpcEndpoint endpoint = context.getBean(GrpcEndpoint.class);
                    // the state monitor hears of READY on grpc-java's executor, possibly after the call returned
                    await().atMost(Duration.ofSeconds(5)).until(() -> "READY".equals(((Map<String, Map<String, Object>>)
                            EndpointJson.all(endpoint).get("channels")).get("inventory").get("state")));
                    Map<String, Object> channels = (Map<String, Object>) EndpointJson.all(endpoint).get("channels");
                    Map<String, Object> inventory = (Map<String, Object>) channels.get("inventory");
                    assertThat(inventory).containsEntry("state", "READY")
                            .containsEntry("target", "static://127.0.0.1:" + port);
                    Map<String, Object> settings = (Map<String, Object>) inventory.get("settings");
                    assertThat((Map<String, Object>) settings.get("tcpKeepalive")).containsEntry("idle", "25s")
                            .containsEntry("interval", "5s").containsEntry("count", 3);
                    assertThat((Map<String, Object>) settings.get("keepalive")).containsEntry("time", "6m")
                            .containsEntry("timeout", "20s").containsEntry("withoutCalls", false);
                    assertThat((Map<String, Object>) settings.get("health")).containsEntry("critical", false);
                    assertThat((Map<String, Object>) settings.get("transport")).containsEntry("flavour", "grpc-netty-shaded");
                    Map<String, Object> serviceConfig = (Map<String, Object>) settings.get("serviceConfig");
                    assertThat(serviceConfig).containsEntry("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));
                    assertThat((List<Map<String, Object>>) serviceConfig.get("methodConfig")).singleElement()
                            .extracting(method -> ((Map<String, Object>) method.get("retryPolicy")).get("maxAttempts"))
                            .isEqualTo(4.0);
                    assertThat(settings).containsEntry("loadBalancingPolicy", "round_robin")
                            .containsEntry("resolverRefresh", "off");
                    assertThat(EndpointJson.of(endpoint.item("channels", "inventory"))).containsEntry("settings", settings)
                            .containsEntry("state", "READY").containsEntry("tooManyPings", 0L)
                            .doesNotContainKey("lastFailure");
                    assertThat((Map<String, Object>) inventory.get("goaway")).containsEntry("too_many_pings", 0L);
                    assertThat(endpoint.item("channels", "unknown")).isNull();
                    assertThat(endpoint.item("other", "inventory")).isNull();
                });
    }
}
