package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.devh.boot.grpc.client.config.GrpcChannelProperties;
import net.devh.boot.grpc.client.config.GrpcChannelProperties.Security;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.config.NegotiationType;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

/**
 * Checks the TLS files of every {@code grpc.client.<name>} (and {@code GLOBAL}) as soon as
 * net.devh's client properties are bound, before any channel is built. Without it a missing file
 * fails only when the first {@code @GrpcClient} of that name is injected (a channel created later
 * fails later), with "Failed to create SSLContext (TrustStore)" and no property name; and key files
 * that net.devh ignores (plaintext channel, {@code client-auth-enabled} unset) fail no startup at
 * all, but every handshake with a server that requires a client certificate.
 */
final class ClientTlsCheck implements BeanPostProcessor {

    private static final String CLIENT = "grpc.client";
    private static final String GLOBAL = GrpcChannelsProperties.GLOBAL_PROPERTIES_KEY;
    private static final String NEGOTIATION_TYPE = "negotiation-type";

    private final Environment environment;

    ClientTlsCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof GrpcChannelsProperties channels) {
            check(channels, environment);
        }
        return bean;
    }

    static void check(GrpcChannelsProperties channels, Environment environment) {
        ConfiguredProperties configured = new ConfiguredProperties(environment);
        TlsFiles files = new TlsFiles(Binder.get(environment));
        for (String name : List.copyOf(channels.getClient().keySet())) {
            GrpcChannelProperties properties = GLOBAL.equals(name) ? channels.getGlobalChannel()
                    : channels.getChannel(name);
            new ChannelCheck(name, properties, configured, files).check();
        }
    }

    private record ChannelCheck(String name, GrpcChannelProperties properties, ConfiguredProperties configured,
            TlsFiles files) {

        void check() {
            Security security = properties.getSecurity();
            if (properties.getNegotiationType() != NegotiationType.TLS) {
                checkNoFilesOnPlaintext();
                return;
            }
            if (security.getTrustCertCollection() != null) {
                String property = property("trust-cert-collection");
                files.certificates(property, security.getTrustCertCollection(), "Point " + property
                        + " at a readable PEM file with the CA certificates that signed the server's certificate,"
                        + " or remove it to trust the JVM's default CAs.");
            } else if (security.getTrustStore() != null) {
                String property = property("trust-store");
                files.keyStore(property, security.getTrustStore(), security.getTrustStoreFormat(),
                        security.getTrustStorePassword(), property("trust-store-password"), "Point " + property
                                + " at a readable key store with the CA certificates that signed the server's "
                                + "certificate and set " + property("trust-store-password")
                                + ", or remove it to trust the JVM's default CAs.");
            }
            if (security.isClientAuthEnabled()) {
                checkClientCertificate(security);
            } else {
                checkNoIgnoredKey(security);
            }
        }

        private void checkClientCertificate(Security security) {
            String chain = property("certificate-chain");
            String key = property("private-key");
            String keyStore = property("key-store");
            if (security.getPrivateKey() != null) {
                if (security.getCertificateChain() == null) {
                    throw new InvalidGrpcResiliencePropertyException(chain, "",
                            "it is required with " + key + " (net.devh fails with \"certificateChain\")",
                            "Set " + chain + " to the PEM certificate chain that goes with " + key + ".");
                }
                files.certificates(chain, security.getCertificateChain(), "Point " + chain
                        + " at a readable PEM file with the client's certificate chain.");
                files.privateKey(key, security.getPrivateKey(), "Point " + key
                        + " at a readable PEM file with the client's PKCS#8 private key.");
            } else if (security.getKeyStore() != null) {
                files.keyStore(keyStore, security.getKeyStore(), security.getKeyStoreFormat(),
                        security.getKeyStorePassword(), property("key-store-password"), "Point " + keyStore
                                + " at a readable key store with the client's key and certificate chain and set "
                                + property("key-store-password") + ".");
            } else {
                String enabled = property("client-auth-enabled");
                throw new InvalidGrpcResiliencePropertyException(enabled, true,
                        "neither " + key + " nor " + keyStore + " is set, so there is no client certificate to send"
                                + (security.getCertificateChain() != null ? " (" + chain + " needs " + key + ")" : ""),
                        "Set " + chain + " and " + key + " (PEM) or " + keyStore + ", or set " + enabled
                                + " to false.");
            }
        }

        /** Key files with {@code client-auth-enabled} never set: net.devh sends no client certificate. */
        private void checkNoIgnoredKey(Security security) {
            if (isSet("security.client-auth-enabled")) {
                return; // explicitly false: the application does not want to present a certificate
            }
            Map<String, Resource> keyFiles = new LinkedHashMap<>();
            keyFiles.put("private-key", security.getPrivateKey());
            keyFiles.put("certificate-chain", security.getCertificateChain());
            keyFiles.put("key-store", security.getKeyStore());
            keyFiles.forEach((file, resource) -> {
                if (resource != null) {
                    String enabled = ownProperty("client-auth-enabled");
                    throw new InvalidGrpcResiliencePropertyException(enabled, false,
                            "net.devh ignores " + property(file) + " unless client-auth-enabled is true, so channel '"
                                    + name + "' sends no client certificate and a server that requires one refuses"
                                    + " every handshake",
                            "Set " + enabled + " to true for mutual TLS, or remove " + property(file) + ".");
                }
            });
        }

        /** Files set on a plaintext channel's own entry: nothing would be encrypted. */
        private void checkNoFilesOnPlaintext() {
            for (String file : TlsFiles.PROPERTIES) {
                String own = ownProperty(file);
                if (configured.isAnySet(ConfiguredProperties.entry(CLIENT, name, "security." + file))) {
                    String negotiation = whereSet(NEGOTIATION_TYPE);
                    throw new InvalidGrpcResiliencePropertyException(negotiation, properties.getNegotiationType(),
                            "channel '" + name + "' is plaintext, so net.devh ignores " + own
                                    + " and nothing on it is encrypted",
                            "Set " + display(name, NEGOTIATION_TYPE) + " to TLS, or remove " + own
                                    + " for a plaintext channel.");
                }
            }
        }

        /** {@code grpc.client.<name>.security.<key>}, or GLOBAL's when only GLOBAL sets it. */
        private String property(String key) {
            return whereSet("security." + key);
        }

        private String ownProperty(String key) {
            return display(name, "security." + key);
        }

        /** Whether the channel's own entry or GLOBAL sets {@code key}, e.g. {@code negotiation-type}. */
        private boolean isSet(String key) {
            return configured.isSet(ConfiguredProperties.entry(CLIENT, name, key))
                    || configured.isSet(ConfiguredProperties.entry(CLIENT, GLOBAL, key));
        }

        private String whereSet(String key) {
            if (!GLOBAL.equals(name) && !configured.isAnySet(ConfiguredProperties.entry(CLIENT, name, key))
                    && configured.isAnySet(ConfiguredProperties.entry(CLIENT, GLOBAL, key))) {
                return display(GLOBAL, key);
            }
            return display(name, key);
        }

        /** The property as the user writes it: {@code grpc.client.GLOBAL.x}, {@code grpc.client[a.b].x}. */
        private static String display(String channel, String key) {
            return (channel.matches("[A-Za-z0-9-]+") ? CLIENT + "." + channel : CLIENT + "[" + channel + "]") + "."
                    + key;
        }
    }
}
