package io.github.grpcresilience.interop.servers;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.grpcresilience.interop.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The languages whose servers the starter's client is tested against, each with its library's
 * default server options: Python grpcio (C-core) from Debian's {@code python3-grpcio} and grpc-go
 * from Debian's {@code golang-google-grpc-dev}. Both peers serve the same protocol (see the
 * programs under {@code src/test/peers/python} and {@code src/test/peers/go}).
 */
public enum PeerLanguage {

    /** {@code peer_server.py} run by Debian's {@code /usr/bin/python3}, not a pyenv or venv one. */
    PYTHON {
        private static final String PYTHON3 = "/usr/bin/python3";

        @Override
        void requireTools() {
            PeerProcess.requireTool(succeeds(List.of(PYTHON3, "-c", "import grpc")),
                    PYTHON3 + " with grpcio", "python3 python3-grpcio");
        }

        @Override
        List<String> command() {
            return List.of(PYTHON3, PeerProcess.PEERS.resolve("python/peer_server.py").toString());
        }

        @Override
        String flag(String name) {
            return "--" + name;
        }
    },

    /** {@code main.go} built once per JVM, offline in GOPATH mode against Debian's Go sources. */
    GO {
        @Override
        void requireTools() {
            PeerProcess.requireCommand("go", "golang-go");
            PeerProcess.requireTool(Files.isDirectory(Path.of(GoBinary.GOPATH, "src/google.golang.org/grpc")),
                    "grpc-go sources in " + GoBinary.GOPATH, "golang-google-grpc-dev");
        }

        @Override
        List<String> command() {
            return List.of(GoBinary.build().toString());
        }

        @Override
        String flag(String name) {
            return "-" + name;
        }
    };

    /** Skips the calling test where the peer cannot run here (fails under {@code CI=true}). */
    abstract void requireTools();

    /** The command that starts a server, before its flags. */
    abstract List<String> command();

    /** A command-line flag in the program's own syntax. */
    abstract String flag(String name);

    /** The lower-case name used in channel names, process names and logs. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The server program with its flags. */
    List<String> command(String name, boolean serving, TlsFiles tls) {
        List<String> command = new ArrayList<>(command());
        command.addAll(List.of(flag("port"), "0", flag("name"), name));
        if (!serving) {
            command.add(flag("not-serving"));
        }
        if (tls != null) {
            command.addAll(List.of(flag("cert"), tls.certificateChain().toString(),
                    flag("key"), tls.privateKey().toString()));
        }
        return command;
    }

    /** A server's certificate chain and private key (PEM files). */
    record TlsFiles(Path certificateChain, Path privateKey) {
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The Go server's binary, built on first use; tests running at once share one build. */
    private static final class GoBinary {

        /** Debian's golang-* -dev packages install their sources here. */
        static final String GOPATH = "/usr/share/gocode";
        /** About 40 s cold on a loaded 2-core machine, a few seconds with the build cache. */
        private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
        private static final Path BINARY = PeerProcess.WORK.resolve("go/peer-server");

        @GuardedBy("GoBinary.class")
        private static boolean built;

        static synchronized Path build() {
            if (!built) {
                PeerProcess.run("go-build", PeerProcess.PEERS.resolve("go"),
                        List.of("go", "build", "-o", BINARY.toString(), "main.go"),
                        Map.of("GO111MODULE", "off", "GOPATH", GOPATH,
                                "GOCACHE", PeerProcess.WORK.resolve("go/gocache").toString()),
                        BUILD_TIMEOUT);
                built = true;
            }
            return BINARY;
        }
    }
}
