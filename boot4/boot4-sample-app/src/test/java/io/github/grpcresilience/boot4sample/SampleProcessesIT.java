package io.github.grpcresilience.boot4sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's jar run as two processes, control plane ({@code server} profile) and agent
 * ({@code client} profile), on ephemeral loopback ports, with a grpc-js client where the check is
 * about what a non-Java client sees (issue 21's "Done when"); once with both over mutual TLS
 * ({@code tls} profile, the certificates the build generated).
 */
class SampleProcessesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CHANNEL_HEALTH = "/actuator/health/grpcChannels/control-plane";
    private static final String STREAM_HEALTH = "/actuator/health/grpcStreams/config-updates";
    private static final String LIVENESS = "/actuator/health/liveness";
    private static final Duration CHANNEL_GRACE = Duration.ofSeconds(3);
    /** The certificates the build generated for the {@code tls} profile. */
    private static final Path TLS = Path.of(System.getProperty("sample.tls", "target/tls"));

    @Test
    void agentChannelGoesDownAfterTheGraceWhenTheServerDiesAndTheStreamIsBackWithin2500msOfItsReturn() {
        int grpcPort = EphemeralGrpcPort.freePort();
        List<String> agentArguments = List.of("--spring.profiles.active=client", "--server.port=0",
                "--spring.grpc.client.channel.control-plane.target=static://127.0.0.1:" + grpcPort,
                "--grpc.resilience.client.defaults.health.transient-failure-grace=" + CHANNEL_GRACE.toSeconds() + "s",
                "--grpc.resilience.client.defaults.health.connecting-grace=" + CHANNEL_GRACE.toSeconds() + "s");
        try (SampleProcess server = startServer(grpcPort);
                SampleProcess agent = SampleProcess.start("agent", agentArguments).awaitStarted()) {
            int http = agent.httpPort();
            await("channel UP and READY").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response channel = Http.get(http, CHANNEL_HEALTH);
                assertThat(channel.status()).as(channel.body()).isEqualTo(200);
                assertThat(channel.body()).contains("\"status\":\"UP\"").contains("\"state\":\"READY\"");
            });
            await("stream HEALTHY").atMost(Duration.ofSeconds(20))
                    .until(() -> Http.get(http, STREAM_HEALTH).body().contains("\"state\":\"HEALTHY\""));

            server.kill();
            Instant killedAt = Instant.now();
            AtomicReference<Instant> downAt = new AtomicReference<>();
            List<String> livenessFailures = new ArrayList<>();
            await("channel DOWN").atMost(CHANNEL_GRACE.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        recordLiveness(http, livenessFailures);
                        Http.Response channel = Http.get(http, CHANNEL_HEALTH);
                        if (channel.status() == 503 && channel.body().contains("\"status\":\"DOWN\"")) {
                            downAt.set(Instant.now());
                            return true;
                        }
                        return false;
                    });
            assertThat(Duration.between(killedAt, downAt.get())).as("DOWN only after the grace")
                    .isGreaterThanOrEqualTo(CHANNEL_GRACE);

            // The server stays away 10 s; liveness must not follow the channel.
            Instant restartAt = killedAt.plusSeconds(10);
            while (Instant.now().isBefore(restartAt)) {
                recordLiveness(http, livenessFailures);
                SampleProcess.sleep(200);
            }
            try (SampleProcess restarted = startServer(grpcPort)) {
                Instant serverBackAt = restarted.grpcServerStartedAt();
                assertThat(Duration.between(killedAt, serverBackAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
                AtomicReference<Instant> healthyAt = new AtomicReference<>();
                await("stream HEALTHY again").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            recordLiveness(http, livenessFailures);
                            JsonNode stream = JSON.readTree(Http.get(http, STREAM_HEALTH).body()).path("details");
                            if (stream.path("state").asString().equals("HEALTHY")) {
                                healthyAt.set(Instant.parse(stream.path("since").asString()));
                                return true;
                            }
                            return false;
                        });
                assertThat(Duration.between(serverBackAt, healthyAt.get()))
                        .as("stream HEALTHY at %s, server listening at %s", healthyAt.get(), serverBackAt)
                        .isLessThanOrEqualTo(Duration.ofMillis(2500));
                await("channel UP again").atMost(Duration.ofSeconds(10))
                        .until(() -> Http.get(http, CHANNEL_HEALTH).status() == 200);
                assertThat(livenessFailures).as("liveness answers while the control plane is away").isEmpty();
                await("channel-state metric READY").atMost(Duration.ofSeconds(10))
                        .until(() -> Http.get(http, "/actuator/prometheus").body()
                                .contains("grpc_client_channel_state{channel=\"control-plane\",state=\"ready\"} 1.0"));
            }
        }
    }

    @Test
    void grpcJsWatchSeesNotServingWithin1sOfSigtermAndItsStreamEndsAtLeast1sLater() {
        int grpcPort = EphemeralGrpcPort.freePort();
        try (SampleProcess server = startServer(grpcPort, "--grpc.resilience.server.shutdown.grace-period=3s",
                "--spring.grpc.server.shutdown.grace-period=3s");
                GrpcJsClient watch = GrpcJsClient.watch(grpcPort, "readiness")) {
            watch.await("SERVING", event -> event.text("status").equals("SERVING"), Duration.ofSeconds(10));

            server.terminate();
            Instant sigtermAt = Instant.now();
            GrpcJsClient.Event notServing = watch.await("NOT_SERVING",
                    event -> event.text("status").equals("NOT_SERVING"), Duration.ofSeconds(5));
            GrpcJsClient.Event end = watch.await("the end of the stream", event -> event.event().equals("end"),
                    Duration.ofSeconds(30));

            assertThat(Duration.between(sigtermAt, notServing.at())).as("SIGTERM to NOT_SERVING; events %s",
                    watch.events()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(Duration.between(notServing.at(), end.at())).as("NOT_SERVING to the end of the stream; events %s",
                    watch.events()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            server.awaitExit(Duration.ofSeconds(30));
        }
    }

    @Test
    void grpcJsClientPingingEvery10sGetsNoGoawayIn45s() {
        int grpcPort = EphemeralGrpcPort.freePort();
        try (SampleProcess server = startServer(grpcPort);
                GrpcJsClient client = GrpcJsClient.pingingWatch(grpcPort, "liveness", Duration.ofSeconds(45))) {
            client.await("a first status", event -> event.event().equals("status"), Duration.ofSeconds(10));
            GrpcJsClient.Event summary = client.await("the summary", event -> event.event().equals("summary"),
                    Duration.ofSeconds(60));

            assertThat(client.events()).as("events").noneMatch(event -> event.event().equals("goaway"));
            assertThat(summary.fields().path("goaways").asInt()).isZero();
            assertThat(summary.fields().path("pingsAcked").asInt()).as("pings answered (the client really pinged); %s",
                    summary.fields()).isGreaterThanOrEqualTo(4);
            assertThat(summary.fields().path("streamOpen").asBoolean()).as("the Watch is still open").isTrue();
        }
    }

    @Test
    void overMutualTlsTheAgentStreamsAndGrpcJsSeesNotServingWithin1sOfSigterm() {
        int grpcPort = EphemeralGrpcPort.freePort();
        String tlsDir = "--sample.tls.dir=" + TLS.toAbsolutePath();
        // Both start at once (the agent's stream is opened again until the server listens): a shorter test.
        try (SampleProcess server = SampleProcess.start("server-tls", serverArguments("server,tls", grpcPort, tlsDir));
                SampleProcess agent = SampleProcess.start("agent-tls", List.of("--spring.profiles.active=client,tls",
                        "--server.port=0", tlsDir,
                        "--spring.grpc.client.channel.control-plane.target=static://127.0.0.1:" + grpcPort))) {
            server.awaitLog(SampleProcess.GRPC_STARTED);
            int http = agent.awaitStarted().httpPort();
            // READY proves the agent's channel is TLS with its client certificate: the server requires both.
            await("channel READY over mutual TLS").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response channel = Http.get(http, CHANNEL_HEALTH);
                assertThat(channel.status()).as(channel.body()).isEqualTo(200);
                assertThat(channel.body()).contains("\"state\":\"READY\"");
            });
            await("stream HEALTHY over mutual TLS").atMost(Duration.ofSeconds(20))
                    .until(() -> Http.get(http, STREAM_HEALTH).body().contains("\"state\":\"HEALTHY\""));

            try (GrpcJsClient anonymous = GrpcJsClient.watchOverTls(grpcPort, "readiness", TLS.resolve("ca.pem"))) {
                GrpcJsClient.Event refused = anonymous.await("the end of a Watch without a client certificate",
                        event -> event.event().equals("end"), Duration.ofSeconds(10));
                assertThat(refused.text("code")).as("events %s", anonymous.events()).isEqualTo("UNAVAILABLE");
                assertThat(anonymous.events()).noneMatch(event -> event.event().equals("status"));
            }
            try (GrpcJsClient watch = GrpcJsClient.watchOverMutualTls(grpcPort, "readiness", TLS.resolve("ca.pem"),
                    TLS.resolve("agent.pem"), TLS.resolve("agent.key"))) {
                watch.await("SERVING", event -> event.text("status").equals("SERVING"), Duration.ofSeconds(10));

                server.terminate();
                Instant sigtermAt = Instant.now();
                GrpcJsClient.Event notServing = watch.await("NOT_SERVING",
                        event -> event.text("status").equals("NOT_SERVING"), Duration.ofSeconds(5));
                assertThat(Duration.between(sigtermAt, notServing.at())).as("SIGTERM to NOT_SERVING; events %s",
                        watch.events()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            }
        }
    }

    private static SampleProcess startServer(int grpcPort, String... extraArguments) {
        SampleProcess server = SampleProcess.start("server", serverArguments("server", grpcPort, extraArguments));
        server.awaitLog(SampleProcess.GRPC_STARTED);
        return server;
    }

    private static List<String> serverArguments(String profiles, int grpcPort, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=" + profiles, "--server.port=0",
                "--spring.grpc.server.address=127.0.0.1", "--spring.grpc.server.port=" + grpcPort));
        arguments.addAll(List.of(extraArguments));
        return arguments;
    }

    private static void recordLiveness(int http, List<String> failures) {
        Http.Response liveness = Http.get(http, LIVENESS);
        if (liveness.status() != 200) {
            failures.add(Instant.now() + ": " + liveness.status() + " " + liveness.body());
        }
    }
}
