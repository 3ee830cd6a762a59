import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generates the sample's mutual-TLS files with the JDK's keytool (no openssl needed), run by the
 * build in generate-resources as a single-file source program:
 * {@code java GenerateSampleCertificates.java <directory>}.
 *
 * <p>Writes a throwaway CA ({@code ca.pem}), the control plane's certificate chain and PKCS#8 key
 * ({@code server.pem}, {@code server.key}; valid for {@code localhost} and {@code 127.0.0.1}) and
 * the agent's client certificate chain and key ({@code agent.pem}, {@code agent.key}). Keeps
 * existing files while they are valid for at least another day, so repeated builds do not change
 * them; regenerates all of them when one is missing or about to expire. Nothing here is a secret:
 * the files exist for the sample only and are never committed.
 */
public class GenerateSampleCertificates {

    private static final int VALIDITY_DAYS = 30;
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);
    private static final String STORE_PASSWORD = "sample-only";
    private static final List<String> FILES = List.of("ca.pem", "server.pem", "server.key", "agent.pem", "agent.key");

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java GenerateSampleCertificates.java <directory>");
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        if (upToDate(dir)) {
            System.out.println("Sample TLS files in " + dir + " are up to date");
            return;
        }
        Path work = dir.resolve("work");
        deleteRecursively(dir);
        Files.createDirectories(work);

        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=grpc-resilience sample CA", "-validity", String.valueOf(VALIDITY_DAYS),
                "-ext", "bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign",
                "-keystore", work.resolve("ca.p12").toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        keytool(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", work.resolve("ca.p12").toString(),
                "-storepass", STORE_PASSWORD, "-file", dir.resolve("ca.pem").toString());
        issue(keytool, dir, "server", "CN=control-plane", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth");
        issue(keytool, dir, "agent", "CN=agent-1", null, "eku=clientAuth");
        deleteRecursively(work);
        System.out.println("Generated sample TLS files in " + dir + " (valid " + VALIDITY_DAYS + " days)");
    }

    /** A key pair for {@code name}, signed by the CA; writes {@code name.pem} (leaf + CA) and {@code name.key}. */
    private static void issue(String keytool, Path dir, String name, String subject, String san, String eku)
            throws Exception {
        Path work = dir.resolve("work");
        Path store = work.resolve(name + ".p12");
        keytool(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-validity", String.valueOf(VALIDITY_DAYS), "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD);
        keytool(keytool, "-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
                "-file", work.resolve(name + ".csr").toString());
        List<String> sign = new ArrayList<>(List.of(keytool, "-gencert", "-rfc", "-alias", "ca",
                "-keystore", work.resolve("ca.p12").toString(), "-storepass", STORE_PASSWORD,
                "-infile", work.resolve(name + ".csr").toString(), "-outfile", work.resolve(name + ".crt").toString(),
                "-validity", String.valueOf(VALIDITY_DAYS), "-ext", "ku:c=digitalSignature", "-ext", eku));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) keyStore.getKey(name, STORE_PASSWORD.toCharArray());
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve(name + ".key"), pkcs8, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(name + ".pem"), Files.readString(work.resolve(name + ".crt")).strip() + "\n"
                + Files.readString(dir.resolve("ca.pem")).strip() + "\n", StandardCharsets.US_ASCII);
    }

    private static boolean upToDate(Path dir) {
        try {
            for (String file : FILES) {
                if (!Files.isRegularFile(dir.resolve(file))) {
                    return false;
                }
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Instant renewal = Instant.now().plus(RENEW_BEFORE);
            for (String file : List.of("ca.pem", "server.pem", "agent.pem")) {
                try (InputStream in = Files.newInputStream(dir.resolve(file))) {
                    var certificates = factory.generateCertificates(in);
                    if (certificates.isEmpty()) {
                        return false;
                    }
                    for (var certificate : certificates) {
                        if (((X509Certificate) certificate).getNotAfter().toInstant().isBefore(renewal)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        } catch (Exception ex) {
            return false;
        }
    }

    private static void keytool(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed (" + String.join(" ", command) + "):\n" + output);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
