package io.github.grpcresilience.autoconfigure.netdevh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.grpcresilience.testing.TestCertificates;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Real application starts (SpringApplication, net.devh, the starter, shaded Netty on an ephemeral
 * loopback port) with bad TLS input: each fails the startup with Spring Boot's failure report
 * naming the property, and the server port never accepts a connection, so nothing is served in
 * plaintext meanwhile. A valid mutual-TLS configuration starts, connects and refuses a client
 * without a certificate.
 *
 * <p>Without the starter's check, net.devh fails the server case only at server start with
 * "Failed to create SSLContext (PK/Cert)" naming no property, the client case when the
 * {@code @GrpcClient} is injected ("Failed to create channel: backend"), and starts the
 * ignored-file cases without any error.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsStartupFailureTest {

    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final String SERVER = "grpc.server.security.";
    private static final String BACKEND = "grpc.client.backend.";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Backend.class)
    static class App {
    }

    /** An application bean with a net.devh client, as the user writes it. */
    static class Backend {
        @GrpcClient("backend")
        Channel channel;
    }

    private static String file(Path path) {
        return "file:" + path;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static ConfigurableApplicationContext start(int port, String... properties) {
        List<String> args = new ArrayList<>(List.of("--grpc.server.port=" + port, "--grpc.server.address=127.0.0.1",
                "--grpc.client.backend.address=static://127.0.0.1:" + port,
                "--grpc.client.backend.shutdown-grace-period=0s", "--grpc.server.shutdown-grace-period=0s",
                "--grpc.resilience.server.shutdown.drain-delay=0s", "--grpc.resilience.server.shutdown.grace-period=1s"));
        Arrays.stream(properties).map(property -> "--" + property).forEach(args::add);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off").run(args.toArray(String[]::new));
    }

    private static String[] serverTls(String... more) {
        return with(new String[] {SERVER + "enabled=true",
                SERVER + "certificate-chain=" + file(CERTS.serverCertificateChain()),
                SERVER + "private-key=" + file(CERTS.serverPrivateKey()), SERVER + "client-auth=REQUIRE",
                SERVER + "trust-cert-collection=" + file(CERTS.caCertificate())}, more);
    }

    /** {@code base} with {@code more} added; a key in {@code more} replaces the same key in {@code base}. */
    private static String[] with(String[] base, String... more) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String property : Stream.concat(Arrays.stream(base), Arrays.stream(more)).toList()) {
            properties.put(property.substring(0, property.indexOf('=')), property);
        }
        return properties.values().toArray(String[]::new);
    }

    private static void assertFailsNaming(CapturedOutput output, String property, String reason, String... args) {
        int port = freePort();
        assertThatThrownBy(() -> start(port, args).close()).isInstanceOf(RuntimeException.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("Property: " + property)
                .contains("Reason: " + reason);
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).as("nothing may listen on the gRPC port").isInstanceOf(ConnectException.class);
    }

    private static final String[] PLAINTEXT_CLIENT = {BACKEND + "negotiation-type=PLAINTEXT"};
    private static final String[] MTLS_CLIENT = {BACKEND + "negotiation-type=TLS",
            BACKEND + "security.trust-cert-collection=" + file(CERTS.caCertificate()),
            BACKEND + "security.client-auth-enabled=true",
            BACKEND + "security.certificate-chain=" + file(CERTS.clientCertificateChain()),
            BACKEND + "security.private-key=" + file(CERTS.clientPrivateKey())};

    @Test
    void serverWithAMissingCertificateChainFailsBeforeListening(CapturedOutput output) {
        Path missing = CERTS.directory().resolve("missing-server.pem");
        assertFailsNaming(output, SERVER + "certificate-chain", "it does not exist: " + missing,
                with(serverTls(SERVER + "certificate-chain=" + file(missing)), PLAINTEXT_CLIENT));
    }

    @Test
    void serverWithAMissingTrustCertCollectionFailsBeforeListening(CapturedOutput output) {
        Path missing = CERTS.directory().resolve("missing-ca.pem");
        assertFailsNaming(output, SERVER + "trust-cert-collection", "it does not exist: " + missing,
                with(serverTls(SERVER + "trust-cert-collection=" + file(missing)), PLAINTEXT_CLIENT));
    }

    @Test
    void serverCertificatesWithSecurityDisabledWouldServePlaintext(CapturedOutput output) {
        assertFailsNaming(output, SERVER + "enabled",
                "the server serves plaintext and net.devh ignores " + SERVER + "certificate-chain",
                with(serverTls(SERVER + "enabled=false"), PLAINTEXT_CLIENT));
    }

    @Test
    void clientWithAMissingTrustCertCollectionFails(CapturedOutput output) {
        Path missing = CERTS.directory().resolve("missing-trust.pem");
        assertFailsNaming(output, BACKEND + "security.trust-cert-collection", "it does not exist: " + missing,
                with(serverTls(), with(MTLS_CLIENT, BACKEND + "security.trust-cert-collection=" + file(missing))));
    }

    @Test
    void clientWithAMissingCertificateChainFails(CapturedOutput output) {
        Path missing = CERTS.directory().resolve("missing-client.pem");
        assertFailsNaming(output, BACKEND + "security.certificate-chain", "it does not exist: " + missing,
                with(serverTls(), with(MTLS_CLIENT, BACKEND + "security.certificate-chain=" + file(missing))));
    }

    @Test
    void clientWithAMissingPrivateKeyFails(CapturedOutput output) {
        Path missing = CERTS.directory().resolve("missing-client.key");
        assertFailsNaming(output, BACKEND + "security.private-key", "it does not exist: " + missing,
                with(serverTls(), with(MTLS_CLIENT, BACKEND + "security.private-key=" + file(missing))));
    }

    @Test
    void clientKeyWithoutClientAuthEnabledWouldSendNoCertificate(CapturedOutput output) {
        List<String> client = new ArrayList<>(List.of(MTLS_CLIENT));
        client.remove(BACKEND + "security.client-auth-enabled=true");
        assertFailsNaming(output, BACKEND + "security.client-auth-enabled",
                "net.devh ignores " + BACKEND + "security.private-key unless client-auth-enabled is true",
                with(serverTls(), client.toArray(String[]::new)));
    }

    @Test
    void validMutualTlsStartsConnectsAndRefusesAClientWithoutCertificate() throws Exception {
        int port = freePort();
        try (ConfigurableApplicationContext context = start(port, with(serverTls(), MTLS_CLIENT))) {
            Channel channel = context.getBean(Backend.class).channel;
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

            ManagedChannel anonymous = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                    CERTS.channelCredentials(false)).build();
            try {
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .check(HealthCheckRequest.getDefaultInstance()));
                assertThat(refused).as("a client without a certificate must be refused").isNotNull();
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            } finally {
                anonymous.shutdownNow();
            }
        }
    }
}
