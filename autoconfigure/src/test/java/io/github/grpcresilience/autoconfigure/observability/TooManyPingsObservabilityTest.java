package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Server;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
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
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A GOAWAY {@code too_many_pings} from a real server with grpc-java's default ping policy shows up
 * as {@code grpc.client.channel.goaway{reason=too_many_pings}} and as the channel's
 * {@code tooManyPings} health detail; a channel that got none reports 0. grpc-java clamps client
 * keepalive to 10 s and the server sends GOAWAY at the third early ping: about 30 s.
 */
class TooManyPingsObservabilityTest {

    /** Three pings at 10 s, plus scheduling slack. */
    private static final Duration DETECTION_WINDOW = Duration.ofSeconds(45);

    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void tooManyPingsIsCountedInTheMetricAndTheHealthDetail() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class, EndpointAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.GLOBAL.address=static://127.0.0.1:" + server.getPort(),
                        "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s",
                        "grpc.resilience.client.channels.pinging.keepalive.time=10s",
                        "grpc.resilience.client.channels.pinging.keepalive.timeout=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var stream = QuietStream.open(NetDevhTesting.channel(context, "pinging"));
                    QuietStream.open(NetDevhTesting.channel(context, "calm"));
                    assertThat(tooManyPingsDetail(context, "pinging")).isZero();

                    Status status = stream.get(DETECTION_WINDOW.toSeconds(), TimeUnit.SECONDS);
                    assertThat(status.getDescription()).contains("too_many_pings");

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> goAways(meters, "pinging") == 1.0);
                    assertThat(tooManyPingsDetail(context, "pinging")).isEqualTo(1L);
                    assertThat(tooManyPingsDetail(context, "calm")).isZero();
                    assertThat(goAways(meters, "calm")).isZero();
                });
    }

    private static double goAways(MeterRegistry meters, String channel) {
        Counter counter = meters.find("grpc.client.channel.goaway").tag("channel", channel)
                .tag("reason", "too_many_pings").counter();
        return counter == null ? 0 : counter.count();
    }

    private static long tooManyPingsDetail(AssertableApplicationContext context, String channel) {
        Health health = (Health) context.getBean(HealthEndpoint.class).healthForPath("grpcChannels", channel);
        Map<String, Object> details = health.getDetails();
        return (Long) details.get("tooManyPings");
    }
}
