package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.github.grpcresilience.sample.proto.ConfigRequest;
import io.github.grpcresilience.sample.proto.ConfigSnapshot;
import io.github.grpcresilience.sample.proto.ControlPlaneGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The {@code tls} profile: control plane and agent in one process over mutual TLS, with the
 * certificates the build generated into {@code target/tls}, on an ephemeral loopback port. The
 * agent's config stream runs (health UP), and the server really requires a client certificate: a
 * TLS client without one, and a plaintext client, are refused, while the same client with the
 * agent's certificate is served.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.tls.dir=target/tls", "grpc.server.address=127.0.0.1", "sample.push-interval=200ms",
        "grpc.server.shutdown-grace-period=0s", "grpc.client.control-plane.shutdown-grace-period=0s",
        "grpc.resilience.server.shutdown.drain-delay=0s", "grpc.resilience.server.shutdown.grace-period=1s"})
@ContextConfiguration(initializers = EphemeralGrpcPort.class)
@ActiveProfiles("tls")
class SampleTlsTest {

    private static final File TLS = new File("target/tls");

    @Autowired
    private Agent agent;

    @Autowired
    private TestRestTemplate http;

    @Value("${grpc.server.port}")
    private int grpcPort;

    @Test
    void agentHoldsItsStreamOverMutualTls() {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.updatesReceived() >= 3);

        String health = http.getForObject("/actuator/health", String.class);
        assertThat((String) JsonPath.read(health, "$.components.grpcChannels.status")).isEqualTo("UP");
        assertThat((String) JsonPath.read(health, "$.components.grpcChannels.components.control-plane.status"))
                .isEqualTo("UP");
        assertThat((String) JsonPath.read(health, "$.components.grpcStreams.status")).isEqualTo("UP");
        assertThat(health).contains("config-updates");
    }

    @Test
    void serverServesAClientWithTheAgentsCertificate() throws IOException {
        ConfigSnapshot snapshot = getConfig(TlsChannelCredentials.newBuilder()
                .trustManager(new File(TLS, "ca.pem"))
                .keyManager(new File(TLS, "agent.pem"), new File(TLS, "agent.key")).build());
        assertThat(snapshot.getEntriesMap()).containsKey("rollout");
    }

    @Test
    void serverRefusesATlsClientWithoutACertificate() {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> getConfig(TlsChannelCredentials.newBuilder().trustManager(new File(TLS, "ca.pem")).build()));
        assertThat(refused).as("a client without a certificate must be refused").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        // the server's TLS alert: "certificate required" (BoringSSL: TLSV1_ALERT_CERTIFICATE_REQUIRED)
        assertThat(rootCause(refused).getMessage()).containsIgnoringCase("certificate_required");
    }

    @Test
    void serverRefusesAPlaintextClient() {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> getConfig(InsecureChannelCredentials.create()));
        assertThat(refused).as("a plaintext client must be refused").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private ConfigSnapshot getConfig(ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, credentials).build();
        try {
            return ControlPlaneGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getConfig(ConfigRequest.newBuilder().setAgentId("test").build());
        } finally {
            channel.shutdownNow();
        }
    }
}
