package io.github.grpcresilience.autoconfigure.netdevh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.testing.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Each of net.devh's TLS properties that would fail late, without its name, or not at all, fails
 * the startup naming the property and the fix, word for word; a valid configuration passes. One
 * thing varied per test, over real files from {@link TestCertificates}.
 */
class TlsPropertiesCheckTest {

    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final String CA = file(CERTS.caCertificate());
    private static final String CHAIN = file(CERTS.clientCertificateChain());
    private static final String KEY = file(CERTS.clientPrivateKey());
    private static final String MISSING = file(CERTS.directory().resolve("missing.pem"));
    private static final String MISSING_PATH = CERTS.directory().resolve("missing.pem").toString();
    private static final String BACKEND = "grpc.client.backend.";
    private static final String SERVER = "grpc.server.security.";

    /** net.devh's properties beans only: no channel is built and no server started. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({GrpcChannelsProperties.class, GrpcServerProperties.class})
    static class NetDevhProperties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetDevhTlsAutoConfiguration.class))
            .withUserConfiguration(NetDevhProperties.class)
            .withPropertyValues("grpc.server.port=0");

    private static String file(Path path) {
        return "file:" + path;
    }

    private FailureAnalysis failure(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysed").isNotNull();
        return analysis[0];
    }

    /** The starter's registered failure analyzers (spring.factories), as Spring Boot would run them. */
    private static FailureAnalysis analyze(Throwable failure) {
        SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
                .of(Environment.class, new StandardEnvironment());
        // other libraries' analyzers that need a bean factory are skipped, as Spring Boot skips them without one
        for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation(
                TlsPropertiesCheckTest.class.getClassLoader()).load(FailureAnalyzer.class, arguments,
                        SpringFactoriesLoader.FailureHandler.handleMessage((message, cause) -> { }))) {
            if (analyzer.getClass().getName().startsWith("io.github.grpcresilience.")) {
                FailureAnalysis analysis = analyzer.analyze(failure);
                if (analysis != null) {
                    return analysis;
                }
            }
        }
        return null;
    }

    private static void assertNames(FailureAnalysis analysis, String property, String value, String reason,
            String action) {
        assertThat(analysis.getDescription()).contains("Property: " + property)
                .contains("Value: " + value)
                .contains("Reason: " + reason);
        assertThat(analysis.getAction()).isEqualTo(action);
    }

    private void assertStarts(String... properties) {
        runner.withPropertyValues(properties).run(context -> assertThat(context).hasNotFailed());
    }

    // ---- client channels

    @Test
    void validMutualTlsChannelAndServerPass() {
        assertStarts(BACKEND + "negotiation-type=TLS", BACKEND + "security.trust-cert-collection=" + CA,
                BACKEND + "security.client-auth-enabled=true", BACKEND + "security.certificate-chain=" + CHAIN,
                BACKEND + "security.private-key=" + KEY,
                SERVER + "enabled=true", SERVER + "certificate-chain=" + file(CERTS.serverCertificateChain()),
                SERVER + "private-key=" + file(CERTS.serverPrivateKey()), SERVER + "client-auth=REQUIRE",
                SERVER + "trust-cert-collection=" + CA);
    }

    @Test
    void missingTrustCertCollection() {
        assertNames(failure(BACKEND + "security.trust-cert-collection=" + MISSING),
                BACKEND + "security.trust-cert-collection", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + BACKEND + "security.trust-cert-collection at a readable PEM file with the CA certificates"
                        + " that signed the server's certificate, or remove it to trust the JVM's default CAs.");
    }

    @Test
    void trustCertCollectionThatIsADirectory() {
        String directory = file(CERTS.directory());
        assertNames(failure(BACKEND + "security.trust-cert-collection=" + directory),
                BACKEND + "security.trust-cert-collection", directory,
                "it cannot be read (a directory, or no permission): " + CERTS.directory(),
                "Point " + BACKEND + "security.trust-cert-collection at a readable PEM file with the CA certificates"
                        + " that signed the server's certificate, or remove it to trust the JVM's default CAs.");
    }

    @Test
    void trustCertCollectionWithoutCertificates() {
        assertNames(failure(BACKEND + "security.trust-cert-collection=" + KEY),
                BACKEND + "security.trust-cert-collection", KEY,
                "it contains no PEM certificate (-----BEGIN CERTIFICATE-----)",
                "Point " + BACKEND + "security.trust-cert-collection at a readable PEM file with the CA certificates"
                        + " that signed the server's certificate, or remove it to trust the JVM's default CAs.");
    }

    @Test
    void missingTrustFileOnTheGlobalEntryIsNamedThere() {
        assertNames(failure("grpc.client.GLOBAL.security.trust-cert-collection=" + MISSING),
                "grpc.client.GLOBAL.security.trust-cert-collection", MISSING, "it does not exist: " + MISSING_PATH,
                "Point grpc.client.GLOBAL.security.trust-cert-collection at a readable PEM file with the CA "
                        + "certificates that signed the server's certificate, or remove it to trust the JVM's "
                        + "default CAs.");
    }

    @Test
    void relativePathIsExplainedWithPlaceholdersResolved() {
        FailureAnalysis analysis = failure("app.tls-dir=certs",
                BACKEND + "security.trust-cert-collection=file:${app.tls-dir}/ca.pem");
        assertThat(analysis.getDescription()).contains("Value: file:certs/ca.pem\n")
                .contains("Reason: it does not exist: "
                + Path.of(System.getProperty("user.dir"), "certs", "ca.pem"));
        assertThat(analysis.getAction()).endsWith(" A relative file: path is resolved against the working directory ("
                + System.getProperty("user.dir") + ").");
    }

    @Test
    void missingClientCertificateChain() {
        assertNames(failure(BACKEND + "security.client-auth-enabled=true", BACKEND + "security.certificate-chain="
                + MISSING, BACKEND + "security.private-key=" + KEY),
                BACKEND + "security.certificate-chain", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + BACKEND + "security.certificate-chain at a readable PEM file with the client's certificate"
                        + " chain.");
    }

    @Test
    void missingClientPrivateKey() {
        assertNames(failure(BACKEND + "security.client-auth-enabled=true", BACKEND + "security.certificate-chain="
                + CHAIN, BACKEND + "security.private-key=" + MISSING),
                BACKEND + "security.private-key", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + BACKEND + "security.private-key at a readable PEM file with the client's PKCS#8 private"
                        + " key.");
    }

    @Test
    void clientPrivateKeyThatIsACertificate() {
        assertNames(failure(BACKEND + "security.client-auth-enabled=true", BACKEND + "security.certificate-chain="
                + CHAIN, BACKEND + "security.private-key=" + CHAIN),
                BACKEND + "security.private-key", CHAIN,
                "it contains no PEM private key (-----BEGIN PRIVATE KEY-----)",
                "Point " + BACKEND + "security.private-key at a readable PEM file with the client's PKCS#8 private"
                        + " key.");
    }

    @Test
    void clientPrivateKeyWithoutCertificateChain() {
        assertNames(failure(BACKEND + "security.client-auth-enabled=true", BACKEND + "security.private-key=" + KEY),
                BACKEND + "security.certificate-chain", "",
                "it is required with " + BACKEND + "security.private-key (net.devh fails with \"certificateChain\")",
                "Set " + BACKEND + "security.certificate-chain to the PEM certificate chain that goes with "
                        + BACKEND + "security.private-key.");
    }

    @Test
    void missingClientKeyStore() {
        assertNames(failure(BACKEND + "security.client-auth-enabled=true", BACKEND + "security.key-store=" + MISSING),
                BACKEND + "security.key-store", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + BACKEND + "security.key-store at a readable key store with the client's key and "
                        + "certificate chain and set " + BACKEND + "security.key-store-password.");
    }

    @Test
    void clientKeyStoreThatIsNoKeyStore() {
        String store = file(CERTS.clientPrivateKey()); // PEM, not PKCS#12
        FailureAnalysis analysis = failure(BACKEND + "security.client-auth-enabled=true",
                BACKEND + "security.key-store=" + store, BACKEND + "security.key-store-format=PKCS12");
        assertThat(analysis.getDescription()).contains("Property: " + BACKEND + "security.key-store")
                .contains("Reason: it does not open as a PKCS12 key store with " + BACKEND
                        + "security.key-store-password (");
    }

    @Test
    void clientAuthWithoutAKey() {
        assertNames(failure(BACKEND + "security.client-auth-enabled=true"),
                BACKEND + "security.client-auth-enabled", "true",
                "neither " + BACKEND + "security.private-key nor " + BACKEND + "security.key-store is set, so there "
                        + "is no client certificate to send",
                "Set " + BACKEND + "security.certificate-chain and " + BACKEND + "security.private-key (PEM) or "
                        + BACKEND + "security.key-store, or set " + BACKEND + "security.client-auth-enabled to false.");
    }

    @Test
    void clientKeyIgnoredWithoutClientAuthEnabled() {
        assertNames(failure(BACKEND + "security.certificate-chain=" + CHAIN, BACKEND + "security.private-key=" + KEY),
                BACKEND + "security.client-auth-enabled", "false",
                "net.devh ignores " + BACKEND + "security.private-key unless client-auth-enabled is true, so channel "
                        + "'backend' sends no client certificate and a server that requires one refuses every handshake",
                "Set " + BACKEND + "security.client-auth-enabled to true for mutual TLS, or remove " + BACKEND
                        + "security.private-key.");
    }

    @Test
    void clientAuthExplicitlyOffIsRespected() {
        assertStarts(BACKEND + "security.client-auth-enabled=false", BACKEND + "security.certificate-chain=" + CHAIN,
                BACKEND + "security.private-key=" + KEY);
    }

    @Test
    void trustFileOnAPlaintextChannelWouldBeIgnored() {
        assertNames(failure(BACKEND + "negotiation-type=PLAINTEXT", BACKEND + "security.trust-cert-collection=" + CA),
                BACKEND + "negotiation-type", "PLAINTEXT",
                "channel 'backend' is plaintext, so net.devh ignores " + BACKEND + "security.trust-cert-collection "
                        + "and nothing on it is encrypted",
                "Set " + BACKEND + "negotiation-type to TLS, or remove " + BACKEND + "security.trust-cert-collection"
                        + " for a plaintext channel.");
    }

    @Test
    void plaintextChannelMayInheritGlobalTlsFiles() {
        assertStarts("grpc.client.GLOBAL.security.trust-cert-collection=" + CA, BACKEND + "negotiation-type=PLAINTEXT");
    }

    @Test
    void plaintextChannelFilesAreNotReadAgain() {
        // the plaintext check fires, not a file check: net.devh would never open the file
        assertThat(failure(BACKEND + "negotiation-type=PLAINTEXT", BACKEND + "security.trust-cert-collection="
                + MISSING).getDescription()).contains("Property: " + BACKEND + "negotiation-type");
    }

    // ---- server

    @Test
    void missingServerCertificateChain() {
        assertNames(failure(SERVER + "enabled=true", SERVER + "certificate-chain=" + MISSING,
                SERVER + "private-key=" + file(CERTS.serverPrivateKey())),
                SERVER + "certificate-chain", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + SERVER + "certificate-chain at a readable PEM file with the server's certificate chain.");
    }

    @Test
    void serverPrivateKeyThatIsNoKey() {
        String chain = file(CERTS.serverCertificateChain());
        assertNames(failure(SERVER + "enabled=true", SERVER + "certificate-chain=" + chain,
                SERVER + "private-key=" + chain),
                SERVER + "private-key", chain, "it contains no PEM private key (-----BEGIN PRIVATE KEY-----)",
                "Point " + SERVER + "private-key at a readable PEM file with the server's PKCS#8 private key.");
    }

    @Test
    void missingServerTrustCertCollection() {
        assertNames(failure(SERVER + "enabled=true", SERVER + "certificate-chain=" + file(CERTS.serverCertificateChain()),
                SERVER + "private-key=" + file(CERTS.serverPrivateKey()), SERVER + "client-auth=REQUIRE",
                SERVER + "trust-cert-collection=" + MISSING),
                SERVER + "trust-cert-collection", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + SERVER + "trust-cert-collection at a readable PEM file with the CA certificates that sign "
                        + "the clients' certificates, or remove it to trust the JVM's default CAs.");
    }

    @Test
    void missingServerKeyStore() {
        assertNames(failure(SERVER + "enabled=true", SERVER + "key-store=" + MISSING),
                SERVER + "key-store", MISSING, "it does not exist: " + MISSING_PATH,
                "Point " + SERVER + "key-store at a readable key store with the server's key and certificate chain "
                        + "and set " + SERVER + "key-store-password.");
    }

    @Test
    void serverEnabledWithoutAKey() {
        assertNames(failure(SERVER + "enabled=true"), SERVER + "enabled", "true",
                "neither " + SERVER + "private-key nor " + SERVER + "key-store is set, so the server has no "
                        + "certificate",
                "Set " + SERVER + "certificate-chain and " + SERVER + "private-key (PEM) or " + SERVER
                        + "key-store, or set " + SERVER + "enabled to false to serve plaintext.");
    }

    @Test
    void serverFilesWithSecurityDisabledWouldServePlaintext() {
        assertNames(failure(SERVER + "certificate-chain=" + file(CERTS.serverCertificateChain()),
                SERVER + "private-key=" + file(CERTS.serverPrivateKey())),
                SERVER + "enabled", "false",
                "the server serves plaintext and net.devh ignores " + SERVER + "certificate-chain",
                "Set " + SERVER + "enabled to true, or remove " + SERVER + "certificate-chain to serve plaintext.");
    }

    @Test
    void serverTrustFileWithoutClientAuthWouldAcceptAnyClient() {
        assertNames(failure(SERVER + "enabled=true", SERVER + "certificate-chain=" + file(CERTS.serverCertificateChain()),
                SERVER + "private-key=" + file(CERTS.serverPrivateKey()), SERVER + "trust-cert-collection=" + CA),
                SERVER + "client-auth", "NONE",
                "the server asks clients for no certificate, so net.devh ignores " + SERVER + "trust-cert-collection"
                        + " and accepts any client",
                "Set " + SERVER + "client-auth to REQUIRE for mutual TLS, or remove " + SERVER
                        + "trust-cert-collection.");
    }

    @Test
    void validServerKeyStorePasses() throws Exception {
        assertStarts(SERVER + "enabled=true", SERVER + "key-store=" + file(serverKeyStore()),
                SERVER + "key-store-password=secret");
    }

    @Test
    void serverKeyStoreWithTheWrongPassword() throws Exception {
        String store = file(serverKeyStore());
        FailureAnalysis analysis = failure(SERVER + "enabled=true", SERVER + "key-store=" + store,
                SERVER + "key-store-password=wrong");
        assertThat(analysis.getDescription()).contains("Property: " + SERVER + "key-store\n")
                .contains("Value: " + store + "\n")
                .contains("Reason: it does not open as a PKCS12 key store with " + SERVER + "key-store-password (")
                .doesNotContain("wrong");
    }

    /** The server's key and chain from {@link TestCertificates} as a PKCS#12 key store (password "secret"). */
    private static Path serverKeyStore() throws Exception {
        Path store = CERTS.directory().resolve("server.p12");
        if (!Files.exists(store)) {
            List<Certificate> chain = new ArrayList<>();
            try (InputStream in = Files.newInputStream(CERTS.serverCertificateChain())) {
                chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            String pem = Files.readString(CERTS.serverPrivateKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", key, "secret".toCharArray(), chain.toArray(Certificate[]::new));
            try (OutputStream out = Files.newOutputStream(store)) {
                keyStore.store(out, "secret".toCharArray());
            }
        }
        return store;
    }

    @Test
    void noNetworkServerNoServerCheck() {
        assertStarts("grpc.server.port=-1", SERVER + "enabled=true", SERVER + "certificate-chain=" + MISSING);
    }

    @Test
    void disabledStarterChecksNothing() {
        assertStarts("grpc.resilience.enabled=false", SERVER + "enabled=true", SERVER + "certificate-chain=" + MISSING);
    }
}
