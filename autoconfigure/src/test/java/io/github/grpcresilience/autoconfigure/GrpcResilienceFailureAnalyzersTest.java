package io.github.grpcresilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every startup failure names the exact property and the fix, word for word. */
class GrpcResilienceFailureAnalyzersTest {

    private static final String DEFAULTS = "grpc.resilience.client.defaults";
    private static final String INVENTORY = "grpc.resilience.client.channels.inventory";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class));

    private FailureAnalysis failure(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            analysis[0] = new InvalidGrpcResiliencePropertyFailureAnalyzer(null).analyze(failure);
            if (analysis[0] == null) {
                analysis[0] = new GrpcResiliencePropertyBindFailureAnalyzer().analyze(failure);
            }
        });
        assertThat(analysis[0]).as("analysed").isNotNull();
        return analysis[0];
    }

    private static void assertNames(FailureAnalysis analysis, String property, String value, String reason,
            String action) {
        assertThat(analysis.getDescription()).contains("Property: " + property)
                .contains("Value: " + value)
                .contains("Reason: " + reason);
        assertThat(analysis.getAction()).isEqualTo(action);
    }

    @Test
    void theReportSaysWhereTheValueComesFrom() {
        ConfigurableEnvironment[] environment = new ConfigurableEnvironment[1];
        runner.withInitializer(context -> {
            environment[0] = context.getEnvironment();
            try {
                new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("invalid/keepalive.yml"))
                        .forEach(context.getEnvironment().getPropertySources()::addFirst);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidGrpcResiliencePropertyFailureAnalyzer(environment[0])
                    .analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + INVENTORY + ".keepalive.time")
                    .contains("Origin: class path resource [invalid/keepalive.yml] - 7:19");
        });
    }

    @Test
    void clientKeepAliveBelowTenSecondsWouldBeClampedSilently() {
        assertNames(failure(DEFAULTS + ".keepalive.time=5s"), DEFAULTS + ".keepalive.time", "5s",
                "grpc-java silently raises a client keepalive time below 10s to 10s",
                "Set " + DEFAULTS + ".keepalive.time to 10s or more; to find dead peers faster, lower "
                        + DEFAULTS + ".tcp-keepalive.idle instead.");
    }

    @Test
    void keepAliveTimeoutMustBeShorterThanTime() {
        assertNames(failure(INVENTORY + ".keepalive.time=30s", INVENTORY + ".keepalive.timeout=30s"),
                INVENTORY + ".keepalive.timeout", "30s",
                "the keepalive timeout must be shorter than the keepalive time (30s)",
                "Set " + INVENTORY + ".keepalive.timeout below " + INVENTORY + ".keepalive.time, e.g. 20s.");
    }

    @Test
    void zeroOrNegativeDurationsFail() {
        assertNames(failure(DEFAULTS + ".tcp-keepalive.idle=0s"), DEFAULTS + ".tcp-keepalive.idle", "0s",
                "it must be a positive duration",
                "Set " + DEFAULTS + ".tcp-keepalive.idle to a positive duration such as 20s, or remove it to use the default.");
        assertNames(failure("grpc.resilience.server.connection.max-age=-1s"),
                "grpc.resilience.server.connection.max-age", "-1s", "it must be a positive duration",
                "Set grpc.resilience.server.connection.max-age to a positive duration such as 20s, or remove it to use the default.");
        assertNames(failure(INVENTORY + ".idle-timeout=0s"), INVENTORY + ".idle-timeout", "0s",
                "it must be a positive duration",
                "Set " + INVENTORY + ".idle-timeout to a positive duration such as 20s, or remove it to use the default.");
    }

    @Test
    void healthGracesMustBePositive() {
        assertNames(failure(INVENTORY + ".health.transient-failure-grace=0s"),
                INVENTORY + ".health.transient-failure-grace", "0s", "it must be a positive duration",
                "Set " + INVENTORY + ".health.transient-failure-grace to a positive duration such as 20s, or remove it to use the default.");
    }

    @Test
    void tcpKeepAliveTakesWholeSeconds() {
        assertNames(failure(DEFAULTS + ".tcp-keepalive.interval=1500ms"), DEFAULTS + ".tcp-keepalive.interval",
                "1500ms", "the kernel takes this option in whole seconds",
                "Set " + DEFAULTS + ".tcp-keepalive.interval to a whole number of seconds, e.g. 1s.");
    }

    @Test
    void probeCountMustBeInRange() {
        assertNames(failure(INVENTORY + ".tcp-keepalive.count=0"), INVENTORY + ".tcp-keepalive.count", "0",
                "the number of probes must be between 1 and 127",
                "Set " + INVENTORY + ".tcp-keepalive.count to a small number such as 3.");
    }

    @Test
    void aValueThatIsNotADurationIsExplained() {
        FailureAnalysis analysis = failure(DEFAULTS + ".keepalive.time=five minutes");
        assertThat(analysis.getDescription()).contains("Property: " + DEFAULTS + ".keepalive.time")
                .contains("Value: five minutes").contains("Reason: it is not a duration");
        assertThat(analysis.getAction()).isEqualTo("Set " + DEFAULTS
                + ".keepalive.time to a duration such as 20s, 500ms or 5m (an integer alone means milliseconds).");
    }

    @Test
    void fastestLayerMustBeBelowTheNetworkIdleTimeout() {
        assertNames(failure(DEFAULTS + ".network.idle-timeout=aws-nlb", DEFAULTS + ".tcp-keepalive.idle=400s"),
                DEFAULTS + ".tcp-keepalive.idle", "400s",
                "it is not below " + DEFAULTS + ".network.idle-timeout=350s (aws-nlb), so the network drops quiet "
                        + "connections before the first keepalive",
                "Lower " + DEFAULTS + ".tcp-keepalive.idle below 350s (aws-nlb).");
        assertNames(failure(INVENTORY + ".network.idle-timeout=4m", INVENTORY + ".tcp-keepalive.enabled=false"),
                INVENTORY + ".keepalive.time", "5m",
                "it is not below " + INVENTORY + ".network.idle-timeout=240s, so the network drops quiet "
                        + "connections before the first keepalive",
                "Lower " + INVENTORY + ".keepalive.time below 240s.");
    }

    @Test
    void presetsPassWithTheDefaults() {
        for (String preset : new String[] {"aws-nlb", "azure-lb", "gcp-lb"}) {
            runner.withPropertyValues(DEFAULTS + ".network.idle-timeout=" + preset)
                    .run(context -> assertThat(context).hasNotFailed());
        }
    }

    @Test
    void awsAlbIsRejectedWithTheReason() {
        assertNames(failure(DEFAULTS + ".network.idle-timeout=aws-alb"), DEFAULTS + ".network.idle-timeout",
                "aws-alb",
                "AWS ALB terminates the client's HTTP/2 connection, so neither TCP nor HTTP/2 keepalive reaches "
                        + "the target; compare ALB's idle timeout with the quietest stream or send "
                        + "application-level heartbeats instead",
                "Remove " + DEFAULTS + ".network.idle-timeout for channels behind an AWS ALB.");
    }

    @Test
    void unknownNetworkPresetIsRejected() {
        assertNames(failure(DEFAULTS + ".network.idle-timeout=cloudflare"), DEFAULTS + ".network.idle-timeout",
                "cloudflare", "it is neither a duration nor a known preset",
                "Set " + DEFAULTS + ".network.idle-timeout to a duration such as 350s or to one of "
                        + "[aws-nlb, azure-lb, gcp-lb].");
    }

    @Test
    void selfTargetPingingFasterThanOwnServerPermits() {
        assertNames(failure("grpc.server.port=9191", "grpc.client.inventory.address=static://127.0.0.1:9191",
                INVENTORY + ".keepalive.time=30s", "grpc.resilience.server.permit-keepalive.time=1m"),
                INVENTORY + ".keepalive.time", "30s",
                "channel 'inventory' targets this application's own server, which permits one ping per 1m "
                        + "(grpc.resilience.server.permit-keepalive.time); faster pings get GOAWAY too_many_pings",
                "Raise " + INVENTORY + ".keepalive.time to at least 1m or lower "
                        + "grpc.resilience.server.permit-keepalive.time.");
    }

    @Test
    void selfTargetPingingWithoutCallsAgainstOwnServerThatForbidsIt() {
        assertNames(failure("grpc.client.inventory.address=self:self", INVENTORY + ".keepalive.without-calls=true",
                "grpc.resilience.server.permit-keepalive.without-calls=false"),
                INVENTORY + ".keepalive.without-calls", "true",
                "channel 'inventory' targets this application's own server, which does not permit pings "
                        + "without calls (grpc.resilience.server.permit-keepalive.without-calls=false)",
                "Set " + INVENTORY + ".keepalive.without-calls to false or "
                        + "grpc.resilience.server.permit-keepalive.without-calls to true.");
    }

    @Test
    void selfTargetCheckUsesNetDevhServerPermitWhenItWins() {
        // net.devh's explicit permit (5m) is in force; our default 5m client time is fine, 1m is not
        runner.withPropertyValues("grpc.server.permit-keep-alive-time=5m",
                "grpc.client.inventory.address=dns:///localhost:9090")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(failure("grpc.server.permit-keep-alive-time=5m", "grpc.client.inventory.address=dns:///localhost:9090",
                INVENTORY + ".keepalive.time=1m").getDescription()).contains("permits one ping per 5m");
    }

    @Test
    void aChannelToAnotherServerIsNotCheckedAgainstOurs() {
        runner.withPropertyValues("grpc.client.inventory.address=static://10.1.2.3:9090",
                INVENTORY + ".keepalive.time=30s", "grpc.resilience.server.permit-keepalive.time=1m")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
