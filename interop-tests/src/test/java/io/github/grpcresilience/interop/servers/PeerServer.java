package io.github.grpcresilience.interop.servers;

import io.github.grpcresilience.interop.PeerProcess;
import io.github.grpcresilience.testing.TestCertificates;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Python or Go server process on 127.0.0.1 (an ephemeral port) with its library's default
 * options. Its {@code interop.Peer/Echo} answers {@code "<name>:" + request}; its health service
 * reports SERVING, or NOT_SERVING when started with {@link #notServing}. Closing it kills it.
 */
final class PeerServer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("^listening (\\d+)$");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final PeerLanguage language;
    private final String name;
    private final boolean serving;
    private final TestCertificates tls;

    private PeerProcess process;
    private int port;

    private PeerServer(PeerLanguage language, String name, boolean serving, TestCertificates tls) {
        this.language = language;
        this.name = name;
        this.serving = serving;
        this.tls = tls;
    }

    /** A plaintext server whose health is SERVING; {@link #start()} starts it. */
    static PeerServer of(PeerLanguage language, String name) {
        return new PeerServer(language, name, true, null);
    }

    /** The same server reporting NOT_SERVING for every service. */
    PeerServer notServing() {
        return new PeerServer(language, name, false, tls);
    }

    /** The same server over TLS with the certificates' server key pair (SANs localhost, 127.0.0.1). */
    PeerServer withTls(TestCertificates certificates) {
        return new PeerServer(language, name, serving, certificates);
    }

    /** Starts the process and waits until it listens; skips the test where the peer cannot run here. */
    PeerServer start() {
        language.requireTools();
        PeerLanguage.TlsFiles files = tls == null ? null
                : new PeerLanguage.TlsFiles(tls.serverCertificateChain(), tls.serverPrivateKey());
        process = PeerProcess.start(name, PeerProcess.WORK, language.command(name, serving, files), Map.of());
        port = Integer.parseInt(process.awaitLine(LISTENING, START_TIMEOUT).group(1));
        return this;
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** What its {@code Echo} answers before the request: {@code "<name>:"}. */
    String name() {
        return name;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    @Override
    public String toString() {
        return language.id() + " server " + name + " on " + address() + (tls == null ? "" : " (TLS)")
                + (serving ? "" : " NOT_SERVING") + (process == null ? "" : ", " + process);
    }
}
