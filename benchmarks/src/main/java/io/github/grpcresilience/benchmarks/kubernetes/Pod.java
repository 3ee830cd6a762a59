package io.github.grpcresilience.benchmarks.kubernetes;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One pod: the sample application's jar (as its container runs it) with the Deployment's
 * arguments, serving the control plane only ({@code server} profile) on its own loopback address
 * and the port every pod shares. Its output goes to {@code pod-<address>.log}.
 */
final class Pod {

    private static final long PROBE_TIMEOUT_SECONDS = 2;
    /**
     * Not the startup probe's 120 s: that is for one pod on its own node, and here several pods
     * start at once on two cores shared with everything else (90 s each was measured at load 14).
     */
    private static final Duration START_LIMIT = Duration.ofMinutes(5);

    final String address;
    private final int port;
    private final Process process;
    /** When the pod left the endpoints and got SIGTERM (epoch ms), or -1. */
    private volatile long terminating = -1;

    private Pod(String address, int port, Process process) {
        this.address = address;
        this.port = port;
        this.process = process;
    }

    static Pod start(Path sampleJar, String address, int port, Manifests manifests, Path logs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", sampleJar.toString()));
        command.addAll(manifests.containerArgs());
        command.addAll(List.of("--spring.profiles.active=server", "--grpc.server.address=" + address,
                "--grpc.server.port=" + port, "--server.address=" + address, "--server.port=0",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--logging.level.io.github.grpcresilience=INFO"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("pod-" + address + ".log").toFile()).start();
        return new Pod(address, port, process);
    }

    /**
     * Asks the readiness health service every probe period, as the kubelet's probe does, until it
     * answers SERVING; fails when the pod exits or does not get ready within {@link #START_LIMIT}.
     */
    void awaitReady(Manifests manifests) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(address, port).usePlaintext().build();
        HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(manifests.readinessService()).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("pod " + address + " exited (" + process.exitValue()
                            + ") before it was ready; see pod-" + address + ".log");
                }
                try {
                    if (HealthGrpc.newBlockingStub(channel).withDeadlineAfter(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .check(request).getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                        return;
                    }
                } catch (StatusRuntimeException notYet) {
                    // not listening yet, or readiness not yet SERVING: probe again next period
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("pod " + address + " not ready within "
                            + START_LIMIT.toSeconds() + " s");
                }
                Thread.sleep(manifests.probePeriod().toMillis());
            }
        } finally {
            channel.shutdownNow();
        }
    }

    void sigterm(long at) {
        terminating = at;
        process.destroy();
    }

    void sigkill() {
        process.destroyForcibly();
    }

    boolean alive() {
        return process.isAlive();
    }

    long terminating() {
        return terminating;
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
