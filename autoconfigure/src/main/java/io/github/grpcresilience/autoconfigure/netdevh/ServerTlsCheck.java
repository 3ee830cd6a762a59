package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import java.util.List;
import net.devh.boot.grpc.server.config.ClientAuth;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import net.devh.boot.grpc.server.config.GrpcServerProperties.Security;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Checks {@code grpc.server.security.*} as soon as net.devh's server properties are bound, before
 * the server is built. Without it a missing file fails only when the server starts (the last
 * lifecycle phase) with "Failed to create SSLContext (PK/Cert)" and no property name; and TLS
 * files that net.devh ignores ({@code enabled} false, {@code client-auth} NONE) fail nothing: the
 * server serves plaintext, or accepts clients without a certificate.
 */
final class ServerTlsCheck implements BeanPostProcessor {

    private static final String SECURITY = "grpc.server.security.";

    private final Environment environment;

    ServerTlsCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof GrpcServerProperties server) {
            check(server, environment);
        }
        return bean;
    }

    static void check(GrpcServerProperties server, Environment environment) {
        ConfiguredProperties configured = new ConfiguredProperties(environment);
        if (server.getPort() == -1) {
            return; // no network server (in-process only)
        }
        Security security = server.getSecurity();
        if (!security.isEnabled()) {
            for (String file : TlsFiles.PROPERTIES) {
                if (configured.isAnySet(SECURITY + file)) {
                    throw new InvalidGrpcResiliencePropertyException(SECURITY + "enabled", false,
                            "the server serves plaintext and net.devh ignores " + SECURITY + file,
                            "Set " + SECURITY + "enabled to true, or remove " + SECURITY + file
                                    + " to serve plaintext.");
                }
            }
            return;
        }
        TlsFiles files = new TlsFiles(Binder.get(environment));
        if (security.getPrivateKey() != null) {
            if (security.getCertificateChain() == null) {
                throw new InvalidGrpcResiliencePropertyException(SECURITY + "certificate-chain", "",
                        "it is required with " + SECURITY + "private-key (net.devh fails with \"certificateChain\")",
                        "Set " + SECURITY + "certificate-chain to the PEM certificate chain that goes with "
                                + SECURITY + "private-key.");
            }
            files.certificates(SECURITY + "certificate-chain", security.getCertificateChain(),
                    "Point " + SECURITY + "certificate-chain at a readable PEM file with the server's certificate chain.");
            files.privateKey(SECURITY + "private-key", security.getPrivateKey(),
                    "Point " + SECURITY + "private-key at a readable PEM file with the server's PKCS#8 private key.");
        } else if (security.getKeyStore() != null) {
            files.keyStore(SECURITY + "key-store", security.getKeyStore(), security.getKeyStoreFormat(),
                    security.getKeyStorePassword(), SECURITY + "key-store-password", "Point " + SECURITY
                            + "key-store at a readable key store with the server's key and certificate chain and set "
                            + SECURITY + "key-store-password.");
        } else {
            throw new InvalidGrpcResiliencePropertyException(SECURITY + "enabled", true,
                    "neither " + SECURITY + "private-key nor " + SECURITY + "key-store is set, so the server has no "
                            + "certificate" + (security.getCertificateChain() != null
                                    ? " (" + SECURITY + "certificate-chain needs " + SECURITY + "private-key)" : ""),
                    "Set " + SECURITY + "certificate-chain and " + SECURITY + "private-key (PEM) or " + SECURITY
                            + "key-store, or set " + SECURITY + "enabled to false to serve plaintext.");
        }
        if (security.getClientAuth() != ClientAuth.NONE) {
            if (security.getTrustCertCollection() != null) {
                files.certificates(SECURITY + "trust-cert-collection", security.getTrustCertCollection(),
                        "Point " + SECURITY + "trust-cert-collection at a readable PEM file with the CA certificates "
                                + "that sign the clients' certificates, or remove it to trust the JVM's default CAs.");
            } else if (security.getTrustStore() != null) {
                files.keyStore(SECURITY + "trust-store", security.getTrustStore(), security.getTrustStoreFormat(),
                        security.getTrustStorePassword(), SECURITY + "trust-store-password", "Point " + SECURITY
                                + "trust-store at a readable key store with the CA certificates that sign the clients' "
                                + "certificates and set " + SECURITY + "trust-store-password.");
            }
        } else {
            for (String file : List.of("trust-cert-collection", "trust-store")) {
                if (configured.isAnySet(SECURITY + file)) {
                    throw new InvalidGrpcResiliencePropertyException(SECURITY + "client-auth", ClientAuth.NONE,
                            "the server asks clients for no certificate, so net.devh ignores " + SECURITY + file
                                    + " and accepts any client",
                            "Set " + SECURITY + "client-auth to REQUIRE for mutual TLS, or remove " + SECURITY + file
                                    + ".");
                }
            }
        }
    }
}
