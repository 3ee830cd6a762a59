package io.github.grpcresilience.benchmarks.soak;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of the packaged sample ({@code java -jar}): its output goes to a log file under
 * {@code target/soak/} and, line by line with the arrival time, to the soak's listener. Metrics are
 * read from outside, over its actuator HTTP port and {@code jcmd}.
 */
final class SampleProcess {

    /** Receives every output line with {@link System#nanoTime()} at its arrival. */
    @FunctionalInterface
    interface LineListener {
        void line(SampleProcess from, String line, long nanos);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern VALUE = Pattern.compile("\"statistic\":\"(\\w+)\",\"value\":([-0-9.E]+)");

    final String name;
    final int httpPort;
    private final Process process;
    private final Thread reader;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile long startedNanos;

    private SampleProcess(String name, int httpPort, Process process, Path log, LineListener listener) {
        this.name = name;
        this.httpPort = httpPort;
        this.process = process;
        this.reader = new Thread(() -> pump(log, listener), "soak-log-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static SampleProcess start(Path jar, String name, int httpPort, Path logDir, LineListener listener,
            List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "--server.port=" + httpPort, "--spring.main.banner-mode=off"));
        command.addAll(arguments);
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new SampleProcess(name, httpPort, process, logDir.resolve(name + ".log"), listener);
    }

    private void pump(Path log, LineListener listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long nanos = System.nanoTime();
                if (startedNanos == 0 && line.contains("Started SampleApplication")) {
                    startedNanos = nanos;
                    started.countDown();
                }
                listener.line(this, line, nanos);
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Waits for Spring Boot's "Started" line; returns its arrival time. */
    long awaitStarted(Duration timeout) throws InterruptedException {
        if (!started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not start within " + timeout.toSeconds() + " s (see its log)");
        }
        return startedNanos;
    }

    long pid() {
        return process.pid();
    }

    /** Through the process handle: {@link Process#destroy()} would also close our end of its output. */
    void sigterm() {
        process.toHandle().destroy();
    }

    void sigkill() {
        process.toHandle().destroyForcibly();
    }

    /** Waits for the exit and for the last output line to be handled; false on timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return true;
    }

    /** Runs a full GC in the process ({@code jcmd <pid> GC.run}). */
    void gc() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid()), "GC.run").redirectErrorStream(true).start();
        jcmd.getInputStream().readAllBytes();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed for " + name);
        }
    }

    /** The process's thread dump ({@code jcmd <pid> Thread.print}). */
    String threadDump() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd Thread.print failed for " + name + ": " + dump);
        }
        return dump;
    }

    /** One statistic of an actuator metric, e.g. {@code metric("jvm.threads.live", "", "VALUE")}. */
    double metric(String metric, String query, String statistic) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/actuator/metrics/" + metric + query)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        Matcher matcher = VALUE.matcher(response.body());
        while (matcher.find()) {
            if (matcher.group(1).equals(statistic)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new IllegalStateException(name + ": no " + statistic + " in " + metric + ": " + response.body());
    }
}
