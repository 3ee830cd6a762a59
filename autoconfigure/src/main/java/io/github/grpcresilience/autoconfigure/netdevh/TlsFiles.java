package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.devh.boot.grpc.common.security.KeyStoreUtils;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.io.Resource;

/**
 * Reads a TLS file that net.devh would read later, when it builds the channel or starts the
 * server, so that a missing or unusable one fails the startup naming its property. Checks only
 * what net.devh's own error would not explain (exists, readable, the expected PEM content, a key
 * store that opens); the TLS library still validates the rest.
 */
final class TlsFiles {

    /** The file and key-store properties net.devh reads, client and server alike (suffixes). */
    static final List<String> PROPERTIES = List.of("certificate-chain", "private-key", "key-store",
            "trust-cert-collection", "trust-store");

    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");

    private final Binder binder;

    /** @param binder resolves placeholders, so a failure shows the value net.devh would open */
    TlsFiles(Binder binder) {
        this.binder = binder;
    }

    /** A PEM file with one or more X.509 certificates (a certificate chain or trusted CAs). */
    void certificates(String property, Resource resource, String fix) {
        byte[] content = read(property, resource, fix);
        Collection<?> certificates;
        try {
            certificates = new String(content, StandardCharsets.US_ASCII).contains(PEM_CERTIFICATE)
                    ? CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content))
                    : List.of();
        } catch (GeneralSecurityException ex) {
            throw invalid(property, resource, "it is not a PEM certificate file (" + ex.getMessage() + ")", fix);
        }
        if (certificates.isEmpty()) {
            throw invalid(property, resource, "it contains no PEM certificate (" + PEM_CERTIFICATE + ")", fix);
        }
    }

    /** A PEM private key (PKCS#8 {@code BEGIN PRIVATE KEY}, or another {@code BEGIN ... PRIVATE KEY}). */
    void privateKey(String property, Resource resource, String fix) {
        String content = new String(read(property, resource, fix), StandardCharsets.US_ASCII);
        if (!PEM_PRIVATE_KEY.matcher(content).find()) {
            throw invalid(property, resource, "it contains no PEM private key (-----BEGIN PRIVATE KEY-----)", fix);
        }
    }

    /** A key store that opens with its configured format and password. */
    void keyStore(String property, Resource resource, String format, String password, String passwordProperty,
            String fix) {
        byte[] content = read(property, resource, fix);
        String type = KeyStoreUtils.detectFormat(format, resource.getFilename());
        try {
            KeyStore.getInstance(type).load(new ByteArrayInputStream(content),
                    password == null ? new char[0] : password.toCharArray());
        } catch (IOException | GeneralSecurityException ex) {
            throw invalid(property, resource, "it does not open as a " + type + " key store with "
                    + passwordProperty + " (" + ex.getMessage() + ")", fix);
        }
    }

    private byte[] read(String property, Resource resource, String fix) {
        if (!resource.exists()) {
            throw invalid(property, resource, "it does not exist: " + describe(resource), fix);
        }
        if (!resource.isReadable()) {
            throw invalid(property, resource, "it cannot be read (a directory, or no permission): "
                    + describe(resource), fix);
        }
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw invalid(property, resource, "it cannot be read: " + describe(resource) + " (" + ex.getMessage() + ")",
                    fix);
        }
    }

    private InvalidGrpcResiliencePropertyException invalid(String property, Resource resource, String problem,
            String fix) {
        String value = binder.bind(lookupName(property), String.class).orElse(resource.getDescription());
        String action = fix;
        if (value.startsWith("file:") && !new File(value.substring("file:".length())).isAbsolute()) {
            action += " A relative file: path is resolved against the working directory ("
                    + System.getProperty("user.dir") + ").";
        }
        return new InvalidGrpcResiliencePropertyException(property, value, problem, action);
    }

    /** A name the binder accepts: {@code grpc.client.GLOBAL.x} is looked up in lower case. */
    private static String lookupName(String property) {
        return ConfigurationPropertyName.isValid(property) ? property : property.toLowerCase(Locale.ROOT);
    }

    /** The absolute path of a file (a relative {@code file:} path is resolved against the working directory). */
    private static String describe(Resource resource) {
        if (resource.isFile()) {
            try {
                File file = resource.getFile();
                return file.getAbsolutePath();
            } catch (IOException ex) {
                // fall through
            }
        }
        return resource.getDescription();
    }
}
