package io.github.grpcresilience.benchmarks.kubernetes;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KubernetesClient} JVM whose name resolution reads the Service's hosts file. Flags: the
 * hosts file, and the JDK's own address cache at 1 s (positive) and 0 s (negative) through
 * {@code sun.net.inetaddr.ttl} and {@code sun.net.inetaddr.negative.ttl}, so a rewrite of the file
 * is what the next lookup sees, as a lookup of CoreDNS would. Not set: the system property
 * {@code networkaddress.cache.ttl}, which grpc-java's DNS resolver reads for its own cache (30 s
 * unless set), so that cache stays as every application has it.
 */
final class ClientProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    final String mode;
    private final Process process;
    private final PrintWriter input;
    private final Path started;
    private final Path traffic;

    private ClientProcess(String mode, Process process, Path started, Path traffic) {
        this.mode = mode;
        this.process = process;
        this.input = new PrintWriter(process.getOutputStream(), true);
        this.started = started;
        this.traffic = traffic;
    }

    static ClientProcess start(String mode, String target, int rate, int streams, Path hostsFile, Path directory)
            throws IOException {
        Path started = directory.resolve("client-" + mode + ".started");
        Path traffic = directory.resolve("client-" + mode + ".traffic");
        Files.deleteIfExists(started);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Djdk.net.hosts.file=" + hostsFile.toAbsolutePath(), "-Dsun.net.inetaddr.ttl=1",
                "-Dsun.net.inetaddr.negative.ttl=0", "-cp", System.getProperty("java.class.path"),
                KubernetesClient.class.getName(), mode, target, String.valueOf(rate), String.valueOf(streams),
                traffic.toString(), started.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("client-" + mode + ".log").toFile()).start();
        return new ClientProcess(mode, process, started, traffic);
    }

    /** Waits for the first answered call. */
    void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(started)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("client " + mode + " did not start; see client-" + mode + ".log");
            }
            Thread.sleep(100);
        }
    }

    /** Stops sending, waits for the last deadlines and reads what the client saw. */
    ClientRecord stop() throws Exception {
        input.println("stop");
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("client " + mode + " did not stop; see client-" + mode + ".log");
        }
        return ClientRecord.read(traffic);
    }

    void kill() {
        process.destroyForcibly();
    }
}
