package io.github.grpcresilience.boot4.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One side's application in its own JVM, on that side's class path (so that the plain side has no
 * starter jar at all, and a server can get SIGTERM). Its stdout lines are queued for the
 * orchestrator, which sends it commands on stdin. Lines that are not protocol words (log lines,
 * stack traces) are echoed here with the side's name, so that a failing child is not silent.
 */
final class SideJvm implements AutoCloseable {

    private static final Pattern PROTOCOL = Pattern.compile("[A-Z]+( .*)?");
    /** Enough for a startup failure's stack trace; a storm logs one line per stream. */
    private static final int ECHOED_LINES = 300;

    final Side side;
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PrintWriter input;

    private SideJvm(Side side, Process process) {
        this.side = side;
        this.process = process;
        this.input = new PrintWriter(process.getOutputStream(), true);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                int echoed = 0;
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    if (!PROTOCOL.matcher(line).matches() && echoed++ < ECHOED_LINES) {
                        System.out.println("  [" + side.label + "] " + line
                                + (echoed == ECHOED_LINES ? " (further output not shown)" : ""));
                    }
                }
            } catch (IOException e) {
                lines.add("EOF " + e);
            }
            lines.add("EOF");
        }, "output of " + side.label);
        reader.setDaemon(true);
        reader.start();
    }

    static SideJvm start(Side side, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", side.classPath(), mainClass.getName(), side.name()));
        command.addAll(List.of(args));
        return new SideJvm(side, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for a line starting with {@code prefix} and returns the rest of it. */
    String await(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (line.startsWith("EOF")) {
                throw new IllegalStateException(side.label + " exited before " + prefix);
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IllegalStateException("no " + prefix + " from " + side.label + " within " + timeout);
    }

    void send(String line) {
        input.println(line);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
