package io.github.grpcresilience.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time from SIGTERM to exit of the packaged sample, as an operator meets it: the agent alone
 * (profile {@code client}, its config stream to a running control plane HEALTHY), the control
 * plane alone (profile {@code server}, with that agent connected, and again with no client), and
 * the combined sample (default profiles: control plane and agent in one process). Every process
 * is the sample's jar started with {@code java -jar} and the starter's defaults.
 */
final class ShutdownTimeBenchmark {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Every process started, so none outlives a failed run. */
    private static final List<Process> STARTED = new ArrayList<>();

    private ShutdownTimeBenchmark() {
    }

    /** One sample process with its ports. */
    private record Sample(Process process, int httpPort) {
    }

    static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 3;
        Path jar = Path.of(System.getProperty("sample.jar",
                "../sample-app/target/grpc-resilience-sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -pl sample-app -am package -DskipTests");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            System.out.printf("run %d of %d%n", run, runs);
            int grpcPort = ChildJvm.freePort();
            Sample server = start(jar, "server", grpcPort);
            Sample agent = start(jar, "client", grpcPort);
            awaitStreamHealthy(agent);
            record(seconds, "agent (stream to a running control plane)", sigtermToExit(agent));
            Sample agent2 = start(jar, "client", grpcPort);
            awaitStreamHealthy(agent2);
            record(seconds, "control plane (one agent's stream open)", sigtermToExit(server));
            agent2.process().destroyForcibly().waitFor();
            Sample lone = start(jar, "server", ChildJvm.freePort());
            awaitHealthUp(lone);
            record(seconds, "control plane (no client)", sigtermToExit(lone));
            Sample combined = start(jar, "default", ChildJvm.freePort());
            awaitStreamHealthy(combined);
            record(seconds, "combined (control plane + agent)", sigtermToExit(combined));
        }
        StringBuilder report = new StringBuilder("| process | runs (s) |\n|---|---|\n");
        seconds.forEach((name, values) -> report.append("| ").append(name).append(" | ")
                .append(String.join(", ", values.stream().map(v -> String.format("%.1f", v)).toList())).append(" |\n"));
        System.out.println(report);
        Path out = Path.of("target", "shutdown-time.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private static void record(Map<String, List<Double>> seconds, String name, double value) {
        System.out.printf("  %s: %.1f s%n", name, value);
        seconds.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }

    private static Sample start(Path jar, String profile, int grpcPort) throws IOException {
        int httpPort = ChildJvm.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString(),
                "--server.port=" + httpPort, "--grpc.server.address=127.0.0.1",
                "--grpc.client.control-plane.address=static://127.0.0.1:" + grpcPort));
        if (!profile.equals("default")) {
            command.add("--spring.profiles.active=" + profile);
        }
        if (!profile.equals("client")) {
            command.add("--grpc.server.port=" + grpcPort);
        }
        Path log = Path.of("target", "shutdown-time-" + profile + "-" + httpPort + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        STARTED.add(process);
        return new Sample(process, httpPort);
    }

    private static void awaitStreamHealthy(Sample sample) throws InterruptedException {
        await(sample, "/actuator/health/grpcStreams", "\"state\":\"HEALTHY\"");
    }

    private static void awaitHealthUp(Sample sample) throws InterruptedException {
        await(sample, "/actuator/health", "\"status\":\"UP\"");
    }

    private static void await(Sample sample, String path, String text) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sample.process().isAlive()) {
                throw new IllegalStateException("sample exited with " + sample.process().exitValue());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + sample.httpPort() + path)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.body().contains(text)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no " + text + " at " + path + " within " + READY_TIMEOUT);
    }

    /** Sends SIGTERM and returns the seconds until the process has exited. */
    private static double sigtermToExit(Sample sample) throws InterruptedException {
        long start = System.nanoTime();
        sample.process().destroy();
        if (!sample.process().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            sample.process().destroyForcibly().waitFor();
            throw new IllegalStateException("still running " + EXIT_TIMEOUT + " after SIGTERM");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
