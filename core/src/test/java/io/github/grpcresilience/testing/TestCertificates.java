package io.github.grpcresilience.testing;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI made at test time, so nothing that expires is committed: a CA, a server
 * certificate for {@code localhost} and {@code 127.0.0.1} and a client certificate, both signed
 * by the CA, written as PEM files (certificate chain; unencrypted PKCS#8 private key) into a new
 * temp directory. Servers serve {@link #serverCertificateChain()}/{@link #serverPrivateKey()};
 * clients trust {@link #caCertificate()} and, for mutual TLS, present
 * {@link #clientCertificateChain()}/{@link #clientPrivateKey()}; a server that requires client
 * certificates trusts the same CA.
 *
 * <p>The files are deleted at JVM exit. Certificates are valid from an hour ago for a day, so a
 * clock skew of minutes never matters. Keys are EC P-256, which every TLS provider in grpc-java
 * (JDK, netty-tcnative in grpc-netty-shaded) accepts.
 *
 * <p>Thread-safety: immutable once generated.
 */
public final class TestCertificates {

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path directory;
    private final Path caCertificate;
    private final Path serverCertificateChain;
    private final Path serverPrivateKey;
    private final Path clientCertificateChain;
    private final Path clientPrivateKey;

    private TestCertificates(Path directory) {
        this.directory = directory;
        this.caCertificate = directory.resolve("ca.pem");
        this.serverCertificateChain = directory.resolve("server.pem");
        this.serverPrivateKey = directory.resolve("server.key");
        this.clientCertificateChain = directory.resolve("client.pem");
        this.clientPrivateKey = directory.resolve("client.key");
    }

    /** Generates a new CA, server and client certificate into a new temp directory. */
    public static TestCertificates generate() {
        try {
            Path directory = Files.createTempDirectory("grpc-resilience-tls");
            directory.toFile().deleteOnExit();
            TestCertificates certificates = new TestCertificates(directory);
            certificates.write();
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test certificates", e);
        }
    }

    /** The directory holding the PEM files. */
    public Path directory() {
        return directory;
    }

    /** The CA certificate (PEM): what clients trust, and servers trust for client certificates. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The server certificate followed by the CA certificate (PEM); SANs localhost, 127.0.0.1. */
    public Path serverCertificateChain() {
        return serverCertificateChain;
    }

    /** The server's private key (PEM, unencrypted PKCS#8). */
    public Path serverPrivateKey() {
        return serverPrivateKey;
    }

    /** The client certificate followed by the CA certificate (PEM), for mutual TLS. */
    public Path clientCertificateChain() {
        return clientCertificateChain;
    }

    /** The client's private key (PEM, unencrypted PKCS#8). */
    public Path clientPrivateKey() {
        return clientPrivateKey;
    }

    /** Server TLS credentials; with {@code requireClientCertificate} clients must present one the CA signed. */
    public ServerCredentials serverCredentials(boolean requireClientCertificate) {
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(serverCertificateChain.toFile(), serverPrivateKey.toFile());
            if (requireClientCertificate) {
                builder.trustManager(caCertificate.toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Client TLS credentials trusting the CA; with {@code presentClientCertificate} also the client's key pair. */
    public ChannelCredentials channelCredentials(boolean presentClientCertificate) {
        try {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder()
                    .trustManager(caCertificate.toFile());
            if (presentClientCertificate) {
                builder.keyManager(clientCertificateChain.toFile(), clientPrivateKey.toFile());
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write() throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair caKeys = newKeyPair();
        X500Name caName = new X500Name("CN=grpc-resilience test CA");
        X509Certificate ca = sign(caName, caKeys.getPublic(), caName, caKeys, (builder, utils) -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(caKeys.getPublic()));
        });

        KeyPair serverKeys = newKeyPair();
        X509Certificate server = sign(new X500Name("CN=localhost"), serverKeys.getPublic(), caName, caKeys,
                leaf(ca, KeyPurposeId.id_kp_serverAuth, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")})));

        KeyPair clientKeys = newKeyPair();
        X509Certificate client = sign(new X500Name("CN=grpc-resilience test client"), clientKeys.getPublic(),
                caName, caKeys, leaf(ca, KeyPurposeId.id_kp_clientAuth, null));

        writePem(caCertificate, ca);
        writePem(serverCertificateChain, server, ca);
        writePem(serverPrivateKey, new JcaPKCS8Generator(serverKeys.getPrivate(), null));
        writePem(clientCertificateChain, client, ca);
        writePem(clientPrivateKey, new JcaPKCS8Generator(clientKeys.getPrivate(), null));
    }

    private static Extensions leaf(X509Certificate ca, KeyPurposeId purpose, GeneralNames subjectAltNames) {
        return (builder, utils) -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca));
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
        };
    }

    private static X509Certificate sign(X500Name subject, PublicKey subjectKey, X500Name issuer,
            KeyPair issuerKeys, Extensions extensions)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(VALIDITY)), subject, subjectKey);
        extensions.add(builder, new JcaX509ExtensionUtils());
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKeys.getPrivate());
        X509CertificateHolder holder = builder.build(signer);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static void writePem(Path file, Object... objects) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                pem.writeObject(object);
            }
        }
        file.toFile().deleteOnExit();
    }

    /** Adds the extensions of one certificate. */
    @FunctionalInterface
    private interface Extensions {
        void add(JcaX509v3CertificateBuilder builder, JcaX509ExtensionUtils utils)
                throws IOException, GeneralSecurityException;
    }
}
